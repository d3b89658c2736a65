extension ConfigurationFile {
    /// A field that may be absent (keep the library's default), `null` (none: for settings that may
    /// be off) or a value.
    enum Setting<Value: Decodable>: Decodable {
        case absent
        case none
        case value(Value)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            self = container.decodeNil() ? .none : .value(try container.decode(Value.self))
        }

        /// Applies the setting to an optional field, converting a value with `convert`.
        func apply<Field>(to field: inout Field?, _ convert: (Value) -> Field) {
            switch self {
            case .absent: break
            case .none: field = nil
            case .value(let value): field = convert(value)
            }
        }
    }
}

extension KeyedDecodingContainer {
    /// Lets synthesized decoders read a missing `Setting` key as `.absent` (the generic `decode`
    /// would call it an error, and `Optional` would fold `null` into absent).
    func decode<Value>(_ type: ConfigurationFile.Setting<Value>.Type, forKey key: Key) throws -> ConfigurationFile.Setting<Value> {
        guard contains(key) else { return .absent }
        return try ConfigurationFile.Setting<Value>(from: superDecoder(forKey: key))
    }
}
