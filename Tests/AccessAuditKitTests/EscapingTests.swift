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

extension EscapingTests {
    @Test("CSV fields: RFC 4180 quoting and formula neutralising")
    func csv() {
        #expect(Escaping.csvField("plain") == "\"plain\"")
        #expect(Escaping.csvField("a,\"b\"\nc") == "\"a,\"\"b\"\"\nc\"")
        for formula in ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"] {
            #expect(Escaping.csvField(formula).hasPrefix("\"'"), "\(formula)")
        }
        #expect(Escaping.csvField("a=1") == "\"a=1\"")
        #expect(Escaping.csvField("") == "\"\"")
    }

    @Test("HTML: entities for every special character, control characters visible")
    func html() {
        #expect(Escaping.html("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(Escaping.html("a\u{1B}[31mb\n") == "a\\x1B[31mb\\n")
    }

    @Test("Markdown cells: pipes, newlines, HTML and Markdown syntax escaped")
    func markdown() {
        #expect(Escaping.markdownCell("a|b") == "a\\|b")
        #expect(Escaping.markdownCell("one\ntwo") == "one<br>two")
        #expect(Escaping.markdownCell("<br>") == "&lt;br&gt;")
        #expect(Escaping.markdownCell("[x](y) *z* `c` _u_") == "\\[x\\]\\(y\\) \\*z\\* \\`c\\` \\_u\\_")
        #expect(Escaping.markdownCell("plain text 1.5") == "plain text 1.5")
    }
}
