import AccessAuditKit
import Foundation
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

    @Test("A UTF-16 database: valid text audits as in UTF-8; a lone surrogate (two ids SQLite's conversion folds into one) is exit 2")
    func utf16() throws {
        let directory = try Fixture.temporaryDirectory("utf16")
        defer { try? FileManager.default.removeItem(at: directory) }
        func audit(_ name: String, _ sql: String) throws -> AuditReport {
            let path = directory.appendingPathComponent(name).path
            let writer = try Connection(creatingNewFileAt: path)
            try writer.execute("PRAGMA encoding = 'UTF-16le'")
            try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture + sql)
            return try DatabaseAudit.run(Connection(readOnlyPath: path), database: name, options: AuditOptions(now: RuleExample.now))
        }
        // Valid UTF-16, with a pair of surrogates (an emoji) and an accent: one finding, as in UTF-8.
        let valid = try audit(
            "valid.db",
            "INSERT INTO organisations VALUES ('P\u{1F600}é', 'Provider', 'provider', NULL);"
                + "INSERT INTO accounts VALUES ('u-x', 'x', NULL, 'P\u{1F600}é', 'active', '2026-01-01', '2026-05-30');"
                + RuleExample.grant(1, "u-x", "national"))
        #expect(valid.findings.map(\.key) == ["level-exceeds-policy:grant:1"])
        // X'00D84100' and X'00D841DC' are two ids to SQLite (a lone high surrogate, then 'A'; a
        // pair): converted to UTF-8 both are U+10041, and the account would take the national body.
        #expect {
            _ = try audit(
                "lone.db",
                """
                INSERT INTO organisations VALUES (CAST(X'00D841DC' AS TEXT), 'National', 'national_producer', NULL);
                INSERT INTO organisations VALUES (CAST(X'00D84100' AS TEXT), 'Provider', 'provider', NULL);
                INSERT INTO accounts VALUES ('u-x', 'x', NULL, CAST(X'00D84100' AS TEXT), 'active', '2026-01-01', '2026-05-30');
                """ + RuleExample.grant(1, "u-x", "national"))
        } throws: { error in
            "\(error)".contains("organisations.org_id holds text that is not valid UTF-16")
        }
    }
}
