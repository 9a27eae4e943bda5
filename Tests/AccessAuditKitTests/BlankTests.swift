import AccessAuditKit
import Testing

/// CONTRACT.md §2: blank values, same person, active status.
struct BlankTests {
    @Test func blankValues() {
        #expect(Blank.isBlank(nil))
        #expect(Blank.isBlank(""))
        #expect(Blank.isBlank(" \t\r\n\u{0B}\u{0C}"))
        #expect(!Blank.isBlank("x"))
        #expect(!Blank.isBlank(" x "))
        // Only the six ASCII whitespace characters count: NBSP and NUL are not whitespace.
        #expect(!Blank.isBlank("\u{00A0}"))
        #expect(!Blank.isBlank("\u{2003}"))
        #expect(!Blank.isBlank("\0"))
    }

    @Test func trimming() {
        #expect(Blank.trimmed(" \tab c\r\n") == "ab c")
        #expect(Blank.trimmed("   ") == "")
        #expect(Blank.trimmed("\u{00A0}x\u{00A0}") == "\u{00A0}x\u{00A0}")
    }

    @Test func samePerson() {
        #expect(Blank.samePerson("kosei", "kosei"))
        #expect(Blank.samePerson(" KOSEI\n", "kOsEi"))
        #expect(Blank.samePerson("\u{0B}k.osei\u{0C}", "K.OSEI"))
        #expect(!Blank.samePerson(nil, nil))
        #expect(!Blank.samePerson("", ""))
        #expect(!Blank.samePerson(" ", "\t"))
        #expect(!Blank.samePerson("kosei", nil))
        #expect(!Blank.samePerson("k osei", "k  osei"))
        // Case is ignored for ASCII only.
        #expect(!Blank.samePerson("ÉMILE", "émile"))
        #expect(Blank.samePerson("Émile", "émile") == false)
        #expect(Blank.samePerson("émile", "ÉMILE".lowercased()) == true)
        #expect(!Blank.samePerson("kosei\u{00A0}", "kosei"))
    }

    @Test func activeStatus() {
        #expect(Blank.isActiveStatus("active"))
        #expect(Blank.isActiveStatus(" ACTIVE\r\n"))
        #expect(Blank.isActiveStatus("Active"))
        #expect(!Blank.isActiveStatus(nil))
        #expect(!Blank.isActiveStatus(""))
        #expect(!Blank.isActiveStatus("inactive"))
        #expect(!Blank.isActiveStatus("active "  + "x"))
        #expect(!Blank.isActiveStatus("act ive"))
        #expect(!Blank.isActiveStatus("\u{00A0}active"))
    }
}
