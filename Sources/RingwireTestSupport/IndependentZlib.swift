// This file imports CZlibCrypto but not XCTest on purpose: a file that imports both made Clang see
// glibc's fd_set twice with different feature macros (liburing.h defines _GNU_SOURCE/_XOPEN_SOURCE,
// Foundation's CDispatch does not) and report a module conflict.
import CZlibCrypto

/// A deliberately plain zlib wrapper for tests, written apart from the code under test, playing
/// the client: what it produces and accepts is what a browser's zlib would.
package final class IndependentZlib {
    package enum Mode {
        case deflate(level: Int32)
        case inflate
    }

    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let mode: Mode

    package init(_ mode: Mode, windowBits: Int32 = 15, memLevel: Int32 = 8) {
        self.mode = mode
        stream.initialize(to: z_stream())
        let status: Int32
        switch mode {
        case .deflate(let level): status = rw_deflate_init(stream, level, -windowBits, memLevel)
        case .inflate: status = rw_inflate_init(stream, -windowBits)
        }
        precondition(status == Z_OK)
    }

    deinit {
        switch mode {
        case .deflate: deflateEnd(stream)
        case .inflate: inflateEnd(stream)
        }
        stream.deallocate()
    }

    /// Runs zlib over all of `input` with `flush`, returning everything it produced.
    package func process(_ input: [UInt8], flush: Int32) -> (output: [UInt8], status: Int32) {
        var input = input
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.pointee.next_in = inputBuffer.baseAddress
            stream.pointee.avail_in = uInt(inputBuffer.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.pointee.next_out = chunkBuffer.baseAddress
                    stream.pointee.avail_out = uInt(chunkBuffer.count)
                    switch mode {
                    case .deflate: status = deflate(stream, flush)
                    case .inflate: status = inflate(stream, flush)
                    }
                    output += chunkBuffer[0..<(chunkBuffer.count - Int(stream.pointee.avail_out))]
                }
            } while stream.pointee.avail_out == 0 && (status == Z_OK || status == Z_BUF_ERROR)
        }
        return (output, status)
    }

    /// A client message: sync flush, trailing 00 00 ff ff removed.
    package func compressMessage(_ message: [UInt8]) -> [UInt8] {
        let output = process(message, flush: Z_SYNC_FLUSH).output
        precondition(output.suffix(4) == [0, 0, 0xff, 0xff])
        return Array(output.dropLast(4))
    }

    /// A client message ended with a final (BFINAL) block instead of a sync flush.
    package func compressFinalMessage(_ message: [UInt8]) -> [UInt8] {
        process(message, flush: Z_FINISH).output
    }

    /// Inflates a server message after putting back the 00 00 ff ff; nil on a zlib error.
    package func decompressMessage(_ payload: [UInt8]) -> [UInt8]? {
        let (output, status) = process(payload + [0, 0, 0xff, 0xff], flush: Z_SYNC_FLUSH)
        return status == Z_OK || status == Z_BUF_ERROR ? output : nil
    }

    /// Sets the window a new raw stream starts from (raw deflate/inflate take a dictionary anytime).
    package func setDictionary(_ dictionary: [UInt8]) {
        var dictionary = dictionary
        let status = dictionary.withUnsafeMutableBufferPointer { buffer in
            switch mode {
            case .deflate: deflateSetDictionary(stream, buffer.baseAddress, uInt(buffer.count))
            case .inflate: inflateSetDictionary(stream, buffer.baseAddress, uInt(buffer.count))
            }
        }
        precondition(status == Z_OK)
    }
}
