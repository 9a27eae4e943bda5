import AccessAuditKit
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `Escaping.xml` and `Escaping.prometheusLabel`: every database value in a JUnit report or a
/// metrics file goes through them.
struct XMLEscapingTests {
    static let hostile = [
        "plain", "a & b <c> \"d\" 'e'", "line\nbreak\rreturn\ttab", "nul\u{0}byte", "esc\u{1B}[31mred", "bell\u{07}",
        "c1\u{9B}csi", "nonchar\u{FFFE}\u{FFFF}", "]]>", "<!-- x -->", "é ✓ 🙂",
    ]

    /// Parses `document` with a real XML parser; the attribute `v` of the root and its text.
    final class Reader: NSObject, XMLParserDelegate {
        var attribute: String?
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            attribute = attributes["v"]
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    @Test("Escaped values make well-formed XML that reads back without control characters", arguments: hostile)
    func wellFormed(_ value: String) throws {
        let escaped = Escaping.xml(value)
        let document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><r v=\"\(escaped)\">\(escaped)</r>"
        let parser = XMLParser(data: Data(document.utf8))
        let reader = Reader()
        parser.delegate = reader
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        let read = try #require(reader.attribute)
        #expect(read == reader.text)
        #expect(!read.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) || $0.value == 0xFFFE || $0.value == 0xFFFF })
        #expect(read == Escaping.terminal(value).replacingOccurrences(of: "\u{FFFE}", with: "\\u{FFFE}").replacingOccurrences(of: "\u{FFFF}", with: "\\u{FFFF}"))
    }

    @Test func entities() {
        #expect(Escaping.xml("a&b<c>\"d\"'e'") == "a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;")
        #expect(Escaping.xml("nul\u{0}") == "nul\\x00")
        #expect(Escaping.xml("\u{FFFF}") == "\\u{FFFF}")
    }

    @Test("Prometheus label values: backslash, quote and newline escaped, controls visible")
    func prometheusLabels() {
        #expect(Escaping.prometheusLabel(#"C:\reports "x""#) == #"C:\\reports \"x\""#)
        #expect(Escaping.prometheusLabel("a\nb") == #"a\nb"#)
        #expect(Escaping.prometheusLabel("esc\u{1B}") == #"esc\\x1B"#)
    }
}
