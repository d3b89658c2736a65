/// An incremental, sans-I/O parser of RESP2 and RESP3 replies: one per Redis connection, confined
/// to the worker (or broker) thread that owns the connection.
///
/// The caller hands it each received buffer and loops on `next(_:)` until `.needMoreData`:
///
///     while true {
///         switch parser.next(&input) {
///         case .needMoreData: return            // wait for the next recv
///         case .value(let reply): ...           // the oldest pending command's reply, or a push
///         case .error(let error): ...           // close the connection, fail pending commands
///         }
///     }
///
/// No byte is scanned again when more arrive: a line split across buffers is kept in `line`, a
/// bulk payload is copied once into `payload`, and aggregates still receiving elements wait on
/// `stack`, so a 10,000-element array fed one byte at a time takes linear time, as fed whole. It
/// never consumes a byte past the end of the value it returns, so pipelined replies stay in `input`.
package struct RESPParser {
    private enum State {
        /// Before a value's type byte.
        case typeByte
        /// Inside the line that follows a type byte (collected in `line`).
        case line(RESPType)
        /// Inside a bulk payload with `remaining` bytes to go (collected in `payload`).
        case payload(RESPType, remaining: Int)
        /// After a bulk payload, before (`sawCarriageReturn` false) or inside its CRLF.
        case payloadEnd(RESPType, sawCarriageReturn: Bool)
        case failed(RESPParseError)
    }

    private let limits: RESPLimits
    private var state = State.typeByte
    /// The line being read, through its LF once complete; capacity kept between lines.
    private var line: [UInt8] = []
    private var payload: [UInt8] = []
    /// Aggregates (and attributes) whose elements are still arriving, innermost last.
    private var stack: [RESPPartialAggregate] = []
    /// Bytes of the current top-level value consumed so far, checked against `maxValueBytes`.
    private var valueBytes = 0

    /// Bytes held between calls in a line or payload not yet complete; never more than
    /// `maxLineLength + 2` or `maxBulkLength` (the fuzz target checks it after every call).
    var bufferedByteCount: Int { line.count + payload.count }

    /// Memory reserved for that line and payload: a payload's announced length reserves at most
    /// 1 MiB before its bytes arrive.
    var bufferedCapacity: Int { line.capacity + payload.capacity }

    /// How many aggregates are open; never more than `maxDepth`.
    var depth: Int { stack.count }

    /// Creates a parser enforcing `limits`.
    package init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
    }

    /// Parses from the start of `input` and advances it past the bytes consumed.
    package mutating func next(_ input: inout UnsafeRawBufferPointer) -> RESPParserEvent {
        do {
            while true {
                guard let value = try step(&input) else {
                    if input.isEmpty { return .needMoreData }
                    continue
                }
                if let reply = complete(value) { return .value(reply) }
            }
        } catch {
            return fail(error)
        }
    }

    /// Consumes what the current state needs; returns a value when one completed. Returns nil
    /// with `input` empty when it needs more data, or with bytes left when it moved to a new state.
    private mutating func step(_ input: inout UnsafeRawBufferPointer) throws(RESPParseError) -> RESPValue? {
        switch state {
        case .failed(let error):
            throw error
        case .typeByte:
            guard let byte = input.first else { return nil }
            guard let type = RESPType(rawValue: byte) else { throw .invalidTypeByte(byte) }
            try consume(1, of: &input)
            state = .line(type)
            return nil
        case .line(let type):
            guard try readLine(&input) else { return nil }
            state = .typeByte
            let value = try finishLine(of: type, content: line[..<(line.count - 2)])
            line.removeAll(keepingCapacity: true)
            return value
        case .payload(let type, let remaining):
            guard !input.isEmpty else { return nil }
            let count = min(remaining, input.count)
            payload.append(contentsOf: input[..<count])
            try consume(count, of: &input)
            state = count == remaining ? .payloadEnd(type, sawCarriageReturn: false) : .payload(type, remaining: remaining - count)
            return nil
        case .payloadEnd(let type, let sawCarriageReturn):
            guard let byte = input.first else { return nil }
            try consume(1, of: &input)
            guard sawCarriageReturn else {
                guard byte == RESPByte.carriageReturn else { throw .missingCRLF }
                state = .payloadEnd(type, sawCarriageReturn: true)
                return nil
            }
            guard byte == RESPByte.lineFeed else { throw .missingCRLF }
            state = .typeByte
            return try finishPayload(of: type)
        }
    }

    /// Moves input up to and including the next LF into `line`, looking no further than the line
    /// limit allows; true once `line` holds a whole line ending in CRLF.
    private mutating func readLine(_ input: inout UnsafeRawBufferPointer) throws(RESPParseError) -> Bool {
        // A line holds its content, CR and LF.
        let budget = limits.maxLineLength + 2 - line.count
        let window = UnsafeRawBufferPointer(rebasing: input[..<min(input.count, budget)])
        let lineFeed = window.firstIndex(of: RESPByte.lineFeed)
        let taken = lineFeed.map { $0 + 1 } ?? window.count
        line.append(contentsOf: window[..<taken])
        try consume(taken, of: &input)
        guard lineFeed != nil else {
            guard taken < budget else { throw .lineTooLong }
            return false
        }
        let content = line[..<(line.count - 1)]
        guard content.last == RESPByte.carriageReturn, !content.dropLast().contains(RESPByte.carriageReturn) else {
            throw .missingCRLF
        }
        return true
    }

    /// The value a complete line stands for, or nil when it starts a payload or an aggregate.
    private mutating func finishLine(of type: RESPType, content: ArraySlice<UInt8>) throws(RESPParseError) -> RESPValue? {
        switch type {
        case .simpleString:
            return .simpleString(String(decoding: content, as: UTF8.self))
        case .error:
            return .error(String(decoding: content, as: UTF8.self))
        case .integer:
            return .integer(try RESPLineDecoder.integer(content))
        case .null:
            guard content.isEmpty else { throw .invalidNull }
            return .null
        case .boolean:
            return .boolean(try RESPLineDecoder.boolean(content))
        case .double:
            return .double(try RESPLineDecoder.double(content))
        case .bigNumber:
            return .bigNumber(try RESPLineDecoder.bigNumber(content))
        case .bulkString, .bulkError, .verbatimString:
            let length = try RESPLineDecoder.length(
                content, allowsNull: type == .bulkString, limit: limits.maxBulkLength, tooLarge: .bulkTooLong)
            if length < 0 { return .nullBulkString }
            guard type != .verbatimString || length >= 4 else { throw .invalidVerbatimString }
            // Refused before a payload byte arrives: the payload and its CRLF would pass the bound.
            guard valueBytes + length + 2 <= limits.maxValueBytes else { throw .valueTooLarge }
            // Reserved up to 1 MiB, so an announced length alone cannot make the parser allocate
            // much; larger payloads grow as their bytes arrive.
            payload.reserveCapacity(min(length, 1 << 20))
            state = length == 0 ? .payloadEnd(type, sawCarriageReturn: false) : .payload(type, remaining: length)
            return nil
        case .array, .set, .push, .map, .attribute:
            let count = try RESPLineDecoder.length(
                content, allowsNull: type == .array, limit: limits.maxAggregateCount, tooLarge: .aggregateTooLarge)
            if count < 0 { return .nullArray }
            guard stack.count < limits.maxDepth else { throw .nestingTooDeep }
            let kind: RESPPartialAggregate.Kind
            switch type {
            case .set: kind = .set
            case .push: kind = .push
            case .map: kind = .map
            case .attribute: kind = .attribute
            default: kind = .array
            }
            let pairs = type == .map || type == .attribute
            let aggregate = RESPPartialAggregate(kind: kind, count: pairs ? 2 * count : count)
            return count == 0 ? finishEmpty(aggregate) : push(aggregate)
        }
    }

    private mutating func finishEmpty(_ aggregate: RESPPartialAggregate) -> RESPValue? {
        switch aggregate.finish() {
        case .value(let value): return value
        case .attribute(let pairs): return push(RESPPartialAggregate(kind: .attributed(pairs), count: 1))
        }
    }

    /// Opens `aggregate` on the stack; the depth was checked by the caller. Returns nil.
    private mutating func push(_ aggregate: RESPPartialAggregate) -> RESPValue? {
        stack.append(aggregate)
        return nil
    }

    /// The value a complete bulk payload stands for; hands `payload`'s storage to it.
    private mutating func finishPayload(of type: RESPType) throws(RESPParseError) -> RESPValue {
        let bytes = payload
        payload = []
        switch type {
        case .bulkError:
            return .bulkError(bytes)
        case .verbatimString:
            let format = bytes[..<3]
            guard bytes[3] == UInt8(ascii: ":"), format.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw .invalidVerbatimString
            }
            return .verbatimString(format: String(decoding: format, as: UTF8.self), text: Array(bytes[4...]))
        default:
            return .bulkString(bytes)
        }
    }

    /// Gives a finished value to the innermost open aggregate, closing every aggregate it
    /// completes; returns the top-level value once there is one.
    private mutating func complete(_ value: RESPValue) -> RESPValue? {
        var value = value
        while !stack.isEmpty {
            stack[stack.count - 1].append(value)
            guard stack[stack.count - 1].remaining == 0 else { return nil }
            switch stack.removeLast().finish() {
            case .value(let finished):
                value = finished
            case .attribute(let pairs):
                // Same depth as the attribute it replaces, so no new depth check.
                stack.append(RESPPartialAggregate(kind: .attributed(pairs), count: 1))
                return nil
            }
        }
        valueBytes = 0
        return value
    }

    private mutating func consume(_ count: Int, of input: inout UnsafeRawBufferPointer) throws(RESPParseError) {
        input = UnsafeRawBufferPointer(rebasing: input[count...])
        valueBytes += count
        guard valueBytes <= limits.maxValueBytes else { throw .valueTooLarge }
    }

    private mutating func fail(_ error: RESPParseError) -> RESPParserEvent {
        state = .failed(error)
        line = []
        payload = []
        stack = []
        return .error(error)
    }
}
