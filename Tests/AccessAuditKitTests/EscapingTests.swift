import AccessAuditKit
import Foundation
import Testing

struct EscapingTests {
    @Test("Terminal output shows control characters instead of obeying them")
    func terminal() {
        #expect(Escaping.terminal("plain Zoë") == "plain Zoë")
        #expect(Escaping.terminal("a\nb") == "a\\nb")
        #expect(Escaping.terminal("\u{1B}[31mred\u{1B}[0m") == "\\x1B[31mred\\x1B[0m")
        #expect(Escaping.terminal("\r\t\0\u{7F}") == "\\r\\t\\x00\\x7F")
        #expect(Escaping.terminal("\u{9B}2J") == "\\u{9B}2J")
        #expect(Escaping.terminal(DBText.decode([0x61, 0xFF])) == "a\u{FFFD}")
    }

    @Test("JSON strings round-trip through a JSON parser")
    func json() throws {
        let nasty = "q\"b\\s/\n\r\t\u{08}\u{0C}\0\u{1F}\u{7F}\u{2028}é🚑"
        let text = "[" + Escaping.jsonString(nasty) + "]"
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        #expect(parsed == [nasty])
        #expect(!text.contains("\n"))
    }

    @Test func jsonValueSerialization() throws {
        let value = JSONValue.object([
            ("b", .int(-3)), ("a", .array([.null, .bool(true), .string("x")])), ("e", .object([])), ("f", .array([])),
        ])
        #expect(value.serialized(pretty: false) == #"{"b":-3,"a":[null,true,"x"],"e":{},"f":[]}"#)
        let pretty = value.serialized(pretty: true)
        let reparsed = try JSONSerialization.jsonObject(with: Data(pretty.utf8)) as? NSDictionary
        let compact = try JSONSerialization.jsonObject(with: Data(value.serialized(pretty: false).utf8)) as? NSDictionary
        #expect(reparsed == compact)
    }
}
