/// Turns the bytes a client sends into WebSocket messages, control frames and protocol failures
/// (RFC 6455 §5), without doing any I/O. One per connection, confined to the connection's worker.
///
/// Fast path: a whole unfragmented message whose frame lies in the receive buffer is unmasked in
/// place and returned as a view into that buffer: no copy, no allocation. Only a frame that spans
/// receive buffers or a fragmented message is copied into storage the reader owns, bounded by
/// `WebSocketReaderLimits.maxMessageSize` and checked against it before any byte is buffered.
///
/// Usage: after each receive, call `next(_:)` until it returns `.needMoreData` (the buffer is then
/// fully consumed) or `.failure` (close the connection with its code), handling each event before
/// the following call.
@_spi(RingwireInternal) public struct WebSocketMessageReader {
    /// Where the reader stands in the frame stream.
    private enum State {
        /// Between frames; a partial header may be staged in `stagedHeader`.
        case awaitingHeader
        /// Inside the payload of a frame that goes to storage; `received` bytes are already there.
        case readingPayload(WebSocketFrameHeader, received: Int)
        /// The peer's close frame was delivered; anything after it is discarded.
        case closed
        /// The peer broke the protocol; the reader repeats the failure.
        case failed(WebSocketFrameViolation)
    }

    /// A fragmented (or receive-buffer-spanning) data message being accumulated in storage.
    @usableFromInline
    struct OpenMessage {
        package var kind: WebSocketMessageKind
        package var compressed: Bool
    }

    // Large fields first, small ones last, so the reader packs tightly (one lives in every
    // connection's session).
    /// The limits, clamped to 4 GiB to keep the reader small (one lives in every connection).
    private let maxFrameSize: UInt32
    private let maxMessageSize: UInt32
    /// Header bytes of a frame whose header spans receive buffers (at most 14, in 16 bytes).
    private var stagedHeader: (UInt64, UInt64) = (0, 0)
    @usableFromInline var storage: WebSocketMessageStorage?
    private var state = State.awaitingHeader
    /// How many bytes of `stagedHeader` are filled (at most 14).
    private var stagedCount: UInt8 = 0
    private let allowsRSV1: Bool
    @usableFromInline var openMessage: OpenMessage?
    /// Validates an open text message fragment by fragment, so bad text fails before it completes.
    private var textValidator = UTF8Validator()
    /// The last event pointed into `storage`'s message: clear it on the next call, not before.
    private var deliveredFromStorage = false

    /// Message bytes allocated between calls, never more than `maxMessageSize` (rounded up to a
    /// page for mapped buffers; the fuzz target checks it after every call); the fixed 125-byte
    /// control buffer is not counted.
    var bufferedCapacity: Int { storage?.capacity ?? 0 }

    /// Creates a reader for one connection. `allowsRSV1` is true only when permessage-deflate was
    /// negotiated in the handshake; otherwise a frame with RSV1 set fails with `protocolError`.
    public init(limits: WebSocketReaderLimits = WebSocketReaderLimits(), allowsRSV1: Bool = false) {
        maxFrameSize = UInt32(clamping: limits.maxFrameSize)
        maxMessageSize = UInt32(clamping: limits.maxMessageSize)
        self.allowsRSV1 = allowsRSV1
    }

    /// Bytes buffered of a data message that has begun but not ended; nil between messages.
    // Inlinable (and so public): the session asks after every receive, and a call into this module
    // would copy the whole reader out of the session to make it.
    @inlinable public var partialMessageBytes: Int? {
        openMessage == nil ? nil : storage?.count ?? 0
    }

    /// Consumes bytes from `input` (the receive buffer, which the reader may modify: it unmasks in
    /// place) up to the next event, and advances `input` past them. Buffers in the returned event
    /// are valid until the next call, and those pointing into `input` until the receive buffer is
    /// reused. `.needMoreData` means `input` has been consumed entirely. Bytes the reader must keep
    /// are charged to `budget` (shared by the worker's connections), if given.
    public mutating func next(_ input: inout UnsafeMutableRawBufferPointer) -> WebSocketReadEvent {
        next(&input, budget: nil)
    }

    package mutating func next(_ input: inout UnsafeMutableRawBufferPointer, budget: MessageBufferBudget?) -> WebSocketReadEvent {
        if deliveredFromStorage {
            deliveredFromStorage = false
            storage?.removeAll()
        }
        while true {
            switch state {
            case .failed(let violation):
                return .failure(violation.closeCode, reason: violation.reason)
            case .closed:
                input = UnsafeMutableRawBufferPointer(rebasing: input[input.count...])
                return .needMoreData
            case .awaitingHeader:
                switch takeHeader(&input) {
                case .incomplete:
                    return .needMoreData
                case .violation(let violation):
                    return fail(violation)
                case .complete(let header, _):
                    if let event = beginFrame(header, &input, budget: budget) { return event }
                }
            case .readingPayload(let header, let received):
                if let event = continuePayload(header, received: received, &input) { return event }
            }
        }
    }

    // MARK: - Headers

    /// Takes the next frame header from `input`: parsed in place when no partial header is staged
    /// (the hot path, inlined), else by completing the staged bytes.
    @inline(__always)
    private mutating func takeHeader(_ input: inout UnsafeMutableRawBufferPointer) -> WebSocketFrameHeader.ParseResult {
        guard stagedCount == 0 else { return completeStagedHeader(&input) }
        guard let base = input.baseAddress, !input.isEmpty else { return .incomplete }
        let result = WebSocketFrameHeader.parse(base, count: input.count, allowsRSV1: allowsRSV1)
        switch result {
        case .complete(_, let size):
            input = UnsafeMutableRawBufferPointer(rebasing: input[size...])
        case .incomplete:
            stage(input)
            input = UnsafeMutableRawBufferPointer(rebasing: input[input.count...])
        case .violation:
            break
        }
        return result
    }

    /// Adds bytes from `input` to a header that began in an earlier receive buffer.
    @inline(never)
    private mutating func completeStagedHeader(_ input: inout UnsafeMutableRawBufferPointer) -> WebSocketFrameHeader.ParseResult {
        let previouslyStaged = Int(stagedCount)
        let taken = min(WebSocketFrameHeader.maxSize - Int(stagedCount), input.count)
        stage(UnsafeMutableRawBufferPointer(rebasing: input[..<taken]))
        let allowsRSV1 = allowsRSV1
        let result = withUnsafeBytes(of: &stagedHeader) { staged in
            // `staged` is 16 bytes of a local tuple, never empty, so its base address exists.
            WebSocketFrameHeader.parse(staged.baseAddress.unsafelyUnwrapped, count: Int(stagedCount), allowsRSV1: allowsRSV1)
        }
        switch result {
        case .complete(_, let size):
            // Only the header's own bytes are consumed; the rest of what was staged is payload.
            stagedCount = 0
            input = UnsafeMutableRawBufferPointer(rebasing: input[(size - previouslyStaged)...])
        case .incomplete:
            input = UnsafeMutableRawBufferPointer(rebasing: input[taken...])
        case .violation:
            break
        }
        return result
    }

    /// Appends `bytes` (which fit: a header is at most 14 bytes) to the staged header.
    private mutating func stage(_ bytes: UnsafeMutableRawBufferPointer) {
        let offset = Int(stagedCount)
        withUnsafeMutableBytes(of: &stagedHeader) { staged in
            UnsafeMutableRawBufferPointer(rebasing: staged[offset..<(offset + bytes.count)])
                .copyMemory(from: UnsafeRawBufferPointer(bytes))
        }
        stagedCount += UInt8(bytes.count)
    }

    // MARK: - Frames

    /// Starts the frame `header` introduces. Returns its event when the whole frame was in `input`
    /// and can be delivered in place, nil when its payload goes to storage.
    @inline(__always)
    private mutating func beginFrame(
        _ header: WebSocketFrameHeader, _ input: inout UnsafeMutableRawBufferPointer, budget: MessageBufferBudget?
    ) -> WebSocketReadEvent? {
        let length = header.payloadLength
        if length > Int(maxFrameSize) { return fail(.frameTooBig) }
        switch header.opcode {
        case .close, .ping, .pong:
            if input.count >= length {
                return controlEvent(header.opcode, payload: takeUnmasked(header, from: &input))
            }
        case .text, .binary:
            if openMessage != nil { return fail(.interruptedFragmentedMessage) }
            if length > Int(maxMessageSize) { return fail(.messageTooBig) }
            let kind: WebSocketMessageKind = header.opcode == .text ? .text : .binary
            if header.fin && input.count >= length {
                let payload = takeUnmasked(header, from: &input)
                if kind == .text && !header.rsv1 && !UTF8Validator.isValid(payload) { return fail(.invalidUTF8) }
                return .message(kind, payload, compressed: header.rsv1)
            }
            openMessage = OpenMessage(kind: kind, compressed: header.rsv1)
            textValidator.reset()
        case .continuation:
            if openMessage == nil { return fail(.unexpectedContinuation) }
            if (storage?.count ?? 0) + length > Int(maxMessageSize) { return fail(.messageTooBig) }
        }
        if storage == nil { storage = WebSocketMessageStorage(budget: budget) }
        state = .readingPayload(header, received: 0)
        return nil
    }

    /// Unmasks the whole payload of `header` in place at the front of `input` and takes it.
    private func takeUnmasked(
        _ header: WebSocketFrameHeader, from input: inout UnsafeMutableRawBufferPointer
    ) -> UnsafeRawBufferPointer {
        let payload = UnsafeMutableRawBufferPointer(rebasing: input[..<header.payloadLength])
        WebSocketMasking.apply(key: header.maskingKey, to: payload)
        input = UnsafeMutableRawBufferPointer(rebasing: input[header.payloadLength...])
        return UnsafeRawBufferPointer(payload)
    }

    /// Moves the next piece of a stored frame's payload from `input` into storage. Returns the
    /// frame's event once it is complete, `.needMoreData` when `input` ran out first, nil when the
    /// frame ended without an event (a non-final fragment).
    private mutating func continuePayload(
        _ header: WebSocketFrameHeader, received: Int, _ input: inout UnsafeMutableRawBufferPointer
    ) -> WebSocketReadEvent? {
        guard let storage else { preconditionFailure("payload state without storage") }
        let remaining = header.payloadLength - received
        if remaining > 0 && input.isEmpty { return .needMoreData }
        let taken = min(remaining, input.count)
        let chunk = UnsafeMutableRawBufferPointer(rebasing: input[..<taken])
        WebSocketMasking.apply(key: header.maskingKey, to: chunk, offset: received)
        input = UnsafeMutableRawBufferPointer(rebasing: input[taken...])
        if header.opcode.isControl {
            UnsafeMutableRawBufferPointer(start: storage.control + received, count: taken)
                .copyMemory(from: UnsafeRawBufferPointer(chunk))
        } else {
            guard storage.append(UnsafeRawBufferPointer(chunk), limit: Int(maxMessageSize)) else {
                return fail(.messageBuffersExhausted)
            }
            if let openMessage, openMessage.kind == .text, !openMessage.compressed,
                !textValidator.validate(UnsafeRawBufferPointer(chunk))
            {
                return fail(.invalidUTF8)
            }
        }
        guard taken == remaining else {
            state = .readingPayload(header, received: received + taken)
            return .needMoreData
        }
        state = .awaitingHeader
        if header.opcode.isControl {
            return controlEvent(header.opcode, payload: UnsafeRawBufferPointer(start: storage.control, count: header.payloadLength))
        }
        return header.fin ? finishMessage(storage) : nil
    }

    /// Delivers the open message accumulated in `storage`.
    private mutating func finishMessage(_ storage: WebSocketMessageStorage) -> WebSocketReadEvent {
        guard let message = openMessage else { preconditionFailure("final fragment without an open message") }
        openMessage = nil
        // A text ending inside a UTF-8 sequence is only known to be invalid now.
        if message.kind == .text && !message.compressed && !textValidator.isComplete { return fail(.invalidUTF8) }
        deliveredFromStorage = true
        return .message(message.kind, storage.bytes, compressed: message.compressed)
    }

    /// The event for a complete control frame.
    private mutating func controlEvent(_ opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer) -> WebSocketReadEvent {
        switch opcode {
        case .ping: return .ping(payload)
        case .pong: return .pong(payload)
        default: return closeEvent(payload)
        }
    }

    /// Validates the peer's close payload (§5.5.1, §7.4): empty, or a valid 2-byte code followed
    /// by a UTF-8 reason.
    private mutating func closeEvent(_ payload: UnsafeRawBufferPointer) -> WebSocketReadEvent {
        if payload.isEmpty {
            state = .closed
            return .close(nil, reason: "")
        }
        if payload.count == 1 { return fail(.truncatedCloseCode) }
        let code = WebSocketCloseCode(rawValue: UInt16(payload[0]) << 8 | UInt16(payload[1]))
        if !code.isValidOnWire { return fail(.invalidCloseCode(code.rawValue)) }
        let reason = UnsafeRawBufferPointer(rebasing: payload[2...])
        if !UTF8Validator.isValid(reason) { return fail(.invalidUTF8) }
        state = .closed
        return .close(code, reason: String(decoding: reason, as: UTF8.self))
    }

    /// Stops reading for good (the connection is closing): any buffered message is dropped now,
    /// not when the connection is finally gone, and later input is discarded.
    package mutating func stop() {
        state = .closed
        openMessage = nil
        storage = nil
        deliveredFromStorage = false
    }

    /// Kills the reader with `violation`, dropping any buffered message.
    private mutating func fail(_ violation: WebSocketFrameViolation) -> WebSocketReadEvent {
        state = .failed(violation)
        openMessage = nil
        storage = nil
        deliveredFromStorage = false
        return .failure(violation.closeCode, reason: violation.reason)
    }
}

/// A reader holds its connection's partial frames and is driven by the connection's worker only.
@available(*, unavailable)
extension WebSocketMessageReader: Sendable {}
