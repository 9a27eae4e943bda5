/// A JSON value with ordered object keys, so reports are written in a fixed, readable order.
package indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized(pretty: false) == rhs.serialized(pretty: false)
    }

    /// `.string` for a value, `.null` for nil.
    package static func string(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    /// The text of this value: pretty (two-space indents) or one line.
    package func serialized(pretty: Bool) -> String {
        var sink = ReportSink()
        write(to: &sink, pretty: pretty, indent: 0)
        return sink.text
    }

    /// Appends this value to `sink`, nested `indent` levels deep.
    func write(to sink: inout ReportSink, pretty: Bool, indent: Int) {
        switch self {
        case .null: append("null", to: &sink)
        case .bool(let value): append(value ? "true" : "false", to: &sink)
        case .int(let value): append(String(value), to: &sink)
        case .string(let value): Escaping.appendJSONString(value, to: &sink)
        case .array(let values):
            guard !values.isEmpty else { return append("[]", to: &sink) }
            sink.append(byte: UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { sink.append(byte: UInt8(ascii: ",")) }
                newline(&sink, pretty: pretty, indent: indent + 1)
                value.write(to: &sink, pretty: pretty, indent: indent + 1)
            }
            newline(&sink, pretty: pretty, indent: indent)
            sink.append(byte: UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { return append("{}", to: &sink) }
            sink.append(byte: UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { sink.append(byte: UInt8(ascii: ",")) }
                newline(&sink, pretty: pretty, indent: indent + 1)
                Escaping.appendJSONString(key, to: &sink)
                append(pretty ? ": " : ":", to: &sink)
                value.write(to: &sink, pretty: pretty, indent: indent + 1)
            }
            newline(&sink, pretty: pretty, indent: indent)
            sink.append(byte: UInt8(ascii: "}"))
        }
    }

    private func append(_ text: StaticString, to sink: inout ReportSink) {
        sink.append(bytes: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private func append(_ text: String, to sink: inout ReportSink) {
        var text = text
        text.withUTF8 { sink.append(bytes: $0) }
    }

    private func newline(_ sink: inout ReportSink, pretty: Bool, indent: Int) {
        guard pretty else { return }
        sink.append(byte: UInt8(ascii: "\n"))
        for _ in 0..<indent { sink.append(byte: 0x20); sink.append(byte: 0x20) }
    }
}
