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

/// Spoofing: characters that reorder or hide text are shown, never obeyed, in every human-facing
/// format; JSON keeps the exact text as `\u` escapes.
extension EscapingTests {
    static let invisible: [Unicode.Scalar] = [
        "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
        "\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{2060}", "\u{FEFF}", "\u{2028}", "\u{2029}",
    ]

    @Test("Bidi controls, zero-width characters and line separators are made visible in text, HTML and Markdown")
    func invisibleCharacters() {
        for scalar in Self.invisible {
            let value = "admin" + String(scalar) + "x"
            let name = "<U+" + String(scalar.value, radix: 16, uppercase: true) + ">"
            #expect(Escaping.terminal(value) == "admin\(name)x")
            #expect(Escaping.html(value) == "admin&lt;U+\(name.dropFirst(3).dropLast())&gt;x")
            #expect(Escaping.markdownCell(value) == "admin&lt;U+\(name.dropFirst(3).dropLast())&gt;x")
            #expect(Escaping.csvField(value) == "\"admin\(name)x\"")
            for escaped in [Escaping.terminal(value), Escaping.html(value), Escaping.markdownCell(value), Escaping.csvField(value)] {
                #expect(!escaped.unicodeScalars.contains(scalar))
            }
        }
    }

    @Test("JSON escapes invisible characters, DEL and C1 as \\u and still parses to the exact text")
    func jsonInvisible() throws {
        let value = Self.invisible.map(String.init).joined() + "\u{7F}\u{85}\u{9B}ok"
        // Through JSONValue, the renderers' path (which copies plain text without escaping it).
        let text = JSONValue.string(value).serialized(pretty: false)
        #expect(text == Escaping.jsonString(value))
        #expect(text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }, "\(text)")
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [String]
        #expect(parsed == [value])
    }

    @Test("CSV shows ESC, C1 and DEL instead of writing them raw")
    func csvControls() {
        #expect(Escaping.csvField("a\u{1B}[2Jb") == "\"a\\x1B[2Jb\"")
        #expect(Escaping.csvField("a\u{9B}b\u{7F}") == "\"a\\u{9B}b\\x7F\"")
        #expect(Escaping.csvField("a\0b") == "\"a\\x00b\"")
        #expect(Escaping.csvField("a\nb\tc") == "\"a\nb\tc\"", "a quoted field may hold LF and tab")
    }

    @Test("CSV neutralises a formula behind whitespace, controls or invisible characters")
    func csvHiddenFormula() {
        for formula in ["\u{202E}=1+1", "\n=1+1", " =1+1", "\u{200B}\u{FEFF}+1", "\u{1B}@SUM(A1)", "\u{A0}-1", "\u{3000}=1", "\u{FF1D}1+1"] {
            #expect(Escaping.csvField(formula).hasPrefix("\"'"), "\(formula.unicodeScalars.map { $0.value })")
        }
        for plain in ["a=1", "1-1", " a", "\u{202E}abc", ""] {
            #expect(!Escaping.csvField(plain).hasPrefix("\"'"), "\(plain)")
        }
    }
}
