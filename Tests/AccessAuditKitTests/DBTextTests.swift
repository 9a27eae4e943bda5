import AccessAuditKit
import Testing

struct DBTextTests {
    @Test func validUTF8IsUnchanged() {
        #expect(DBText.decode(Array("Zoë 🚑".utf8)) == "Zoë 🚑")
        #expect(DBText.decode([0x61, 0x00, 0x62]) == "a\0b")
    }

    @Test func invalidBytesStayDistinct() {
        let a = DBText.decode([0x61, 0xFF])
        let b = DBText.decode([0x61, 0xFE])
        let c = DBText.decode([0x61, 0xEF, 0xBF, 0xBD])  // "a" + a real U+FFFD
        #expect(a != b)
        #expect(a != c)
        #expect(DBText.display(a) == "a\u{FFFD}")
        #expect(DBText.display(c) == "a\u{FFFD}")
    }

    @Test func overlongsAndSurrogatesAreInvalid() {
        #expect(DBText.display(DBText.decode([0xC0, 0xAF])) == "\u{FFFD}\u{FFFD}")
        #expect(DBText.display(DBText.decode([0xED, 0xA0, 0x80])) == "\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(DBText.display(DBText.decode([0xE2, 0x82])) == "\u{FFFD}\u{FFFD}")
        #expect(DBText.decode([0x41, 0xE2, 0x82, 0xAC, 0x80]).hasPrefix("A€"))
    }
}
