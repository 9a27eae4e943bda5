import AccessAuditKit
import Foundation
import Testing

/// CONTRACT.md §5: within a report keys are unique, and a key encodes its ids reversibly, byte
/// for byte (ids that are not valid UTF-8 included).
struct FindingKeyTests {
    @Test("Ids that differ only in bytes that are not UTF-8 get different keys, each decoding to its own bytes")
    func invalidUTF8() throws {
        let report = try Fixture.audit(
            """
            INSERT INTO accounts VALUES (CAST(X'67686F7374FF' AS TEXT), 'g1', NULL, 'P1', 'disabled', '2026-01-01', NULL);
            INSERT INTO accounts VALUES (CAST(X'67686F7374FE' AS TEXT), 'g2', NULL, 'P1', 'disabled', '2026-01-01', NULL);
            INSERT INTO accounts VALUES ('ghost' || char(1114111), 'g3', NULL, 'P1', 'disabled', '2026-01-01', NULL);
            \(RuleExample.grant(1, "' || CAST(X'67686F7374FF' AS TEXT) || '", "organisation"));
            \(RuleExample.grant(2, "' || CAST(X'67686F7374FE' AS TEXT) || '", "organisation"));
            \(RuleExample.grant(3, "ghost' || char(1114111) || '", "organisation"));
            """)
        let keys = Fixture.findings("inactive-account-access", in: report).map(\.key)
        #expect(keys.count == 3)
        #expect(Set(keys).count == 3, "\(keys)")
        let decoded = Set(keys.compactMap { key in key.split(separator: ":").last.flatMap(FindingKey.decode) })
        #expect(decoded == [Array("ghost".utf8) + [0xFF], Array("ghost".utf8) + [0xFE], Array("ghost\u{10FFFF}".utf8)])
    }

    @Test("Encoding is reversible for every byte string, and keeps ordinary ids as they are")
    func roundTrip() {
        #expect(FindingKey.encode("acc-011") == "acc-011")
        #expect(FindingKey.encode("a:b%c") == "a%3Ab%25c")
        #expect(FindingKey.encode("bob\0") == "bob%00")
        #expect(FindingKey.encode("x\nCOMMIT;") == "x%0ACOMMIT;")
        #expect(FindingKey.encode("Siân") == "Si%C3%A2n")
        #expect(FindingKey.encode(nil) == "%N")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...12, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = FindingKey.encode(DBText.decode(bytes))
            #expect(FindingKey.decode(Substring(encoded)) == bytes, "\(bytes)")
            #expect(!encoded.contains(":") && !encoded.contains("#") && encoded.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F })
        }
    }

    @Test("Repeated grant ids (a view or an unconstrained table) give every finding a key of its own")
    func repeatedGrantIDs() throws {
        let report = try Fixture.audit(
            """
            \(RuleExample.grant(7, "u-ca", "national"));
            \(RuleExample.grant(7, "u-prov", "national"));
            \(RuleExample.grant(7, "u-prov", "national"));
            """)
        let keys = Fixture.findings("level-exceeds-policy", in: report).map(\.key)
        #expect(keys.count == 3)
        #expect(Set(report.findings.map(\.key)).count == report.findings.count)
        #expect(keys.contains("level-exceeds-policy:grant:7") && keys.contains("level-exceeds-policy:grant:7:#2"))
        #expect(keys.contains("level-exceeds-policy:grant:7:#3"))
        // The same on the reference path, finding for finding.
        let connection = try Fixture.database(
            RuleExample.grant(7, "u-ca", "national") + ";" + RuleExample.grant(7, "u-prov", "national") + ";"
                + RuleExample.grant(7, "u-prov", "national") + ";", base: true)
        let reference = try DatabaseAudit.runReference(connection, database: "f", options: AuditOptions(now: RuleExample.now))
        #expect(reference.findings.map(\.key) == report.findings.map(\.key))
    }

    @Test("DBText: a real U+10FFxx is not an escaped byte, and bytes(decode(x)) == x")
    func dbTextIsInjective() {
        let escaped = DBText.decode([0x61, 0xFF])
        let real = DBText.decode(Array("a\u{10FFFF}".utf8))
        #expect(escaped != real)
        #expect(DBText.bytes(escaped) == [0x61, 0xFF])
        #expect(DBText.bytes(real) == Array("a\u{10FFFF}".utf8))
    }
}

extension FindingKeyTests {
    static func waivers(_ entries: String) throws -> [Waiver] {
        try WaiverFile.parse("waivers:\n" + entries, path: "w.yml")
    }

    /// Found by attacking the build: a waiver by rule and grant_id written for alice's grant 1
    /// also waived mallory's (a repeated integer id, or a text id '1'), and one by account_id
    /// waived both `café` and `cafe\u{301}` (Swift's `==` is canonical equivalence).
    @Test("A waiver by rule and ids never waives a finding of another row")
    func waiverIdsExact() throws {
        var report = try Fixture.audit(
            """
            INSERT INTO accounts VALUES ('café', 'c1', NULL, 'CA1', 'active', '2026-01-01', '2026-05-30');
            INSERT INTO accounts VALUES ('cafe\u{301}', 'c2', NULL, 'CA1', 'active', '2026-01-01', '2026-05-30');
            \(RuleExample.grant(1, "u-ca", "national"));
            \(RuleExample.grant(1, "u-prov", "national"));
            INSERT INTO grants VALUES ('1', 'u-prov', 'national', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL);
            \(RuleExample.grant(5, "café", "national"));
            \(RuleExample.grant(6, "cafe\u{301}", "national"));
            """)
        let common = "    reason: r\n    owner: dpo\n    approved_by: ciso\n    expires: 2026-07-01\n"
        try report.apply(
            waivers: Self.waivers(
                "  - rule: level-exceeds-policy\n    grant_id: \"1\"\n" + common
                    + "  - rule: level-exceeds-policy\n    account_id: \"café\"\n" + common))
        let waived = report.findings.filter { $0.rule == "level-exceeds-policy" && $0.waiver?.state == .waived }
        #expect(waived.map(\.key) == ["level-exceeds-policy:grant:5"], "\(waived.map(\.key))")
        #expect(report.exitStatus(failOn: .high) == 1)
        #expect(report.notes.contains { $0.contains("repeated id") })
    }
}
