@testable import AccessAuditKit
import Foundation
import Testing

/// Values a foreign system or a user can put in the database: each becomes a finding, a safely
/// rendered value, or a clear error, and the grant count always adds up. Values up to
/// `--max-value-bytes` (1 MiB by default) are audited in full; longer ones are refused
/// (`LimitTests`, `InputCLITests.hugeValue`).
struct HostileValueTests {
    static let sql = """
        INSERT INTO accounts VALUES (CAST(x'75ff2d6361' AS TEXT), 'bad.utf8', 'Z' || char(0) || 'oe', 'CA1', 'active', '2026-01-01', NULL);
        INSERT INTO accounts VALUES ('u-long', 'long.name', printf('%.*c', 1000000, 'x'), 'CA1', 'active', '2026-01-01', NULL);
        INSERT INTO accounts VALUES ('u-esc', 'esc', 'Eve' || char(27) || '[2J' || char(10) || '[CRITICAL] forged' || char(13), 'CA1', 'active', '2026-01-01', NULL);
        INSERT INTO accounts VALUES (7, 12, x'00ff', 'CA1', 1, 20260101, 3.5);
        INSERT INTO accounts VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO accounts VALUES ('u-ca', 'dup.pk', NULL, 'P1', 'active', '2026-01-01', NULL);
        INSERT INTO grants VALUES (1, CAST(x'75ff2d6361' AS TEXT), 'national', NULL, '2026-05-01', 'a', 'b', NULL);
        INSERT INTO grants VALUES (2, CAST(x'75fe2d6361' AS TEXT), 'national', NULL, '2026-05-01', 'a', 'b', NULL);
        INSERT INTO grants VALUES (3, 'u-long', 'national', NULL, '2026-05-01', 'a', printf('%.*c', 1000000, 'y'), NULL);
        INSERT INTO grants VALUES (4, 'u-esc', 'national', '<script>alert(1)</script>', '2026-05-01', '=HYPERLINK("http://x")', '| md | pipe |', NULL);
        INSERT INTO grants VALUES (5, 7, 'alliance', NULL, 20260501, x'61', 42, 1.5);
        INSERT INTO grants VALUES (6, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO grants VALUES (6, 'u-ca', 'alliance', NULL, '2026-05-01', 'a', 'b', NULL);
        INSERT INTO grants VALUES (7, 'u-ca' || char(0), 'alliance', NULL, '2026-05-01', 'a', 'b', NULL);
        """

    @Test("Hostile values: identical on both paths, rendered safely, nothing lost")
    func hostile() throws {
        let connection = try Fixture.database(Self.sql, base: true)
        let options = AuditOptions(now: RuleExample.now)
        let fast = try DatabaseAudit.readTransaction(connection, database: "db") {
            try FastAudit.run(connection, database: "db", options: options)
        }
        let reference = try DatabaseAudit.runReference(connection, database: "db", options: options)
        #expect(fast.findings == reference.findings)
        #expect(reference.grants == 8)
        #expect(reference.accounts == 12)
        // Invalid UTF-8 ids stay distinct: 0xFF matches its account, 0xFE does not.
        let grant1 = reference.findings.filter { $0.grantID == .integer(1) }.map(\.rule)
        let grant2 = reference.findings.filter { $0.grantID == .integer(2) }.map(\.reason)
        #expect(grant1.contains("level-exceeds-policy"))
        #expect(grant2 == ["unknown-account"])
        // An id with a NUL byte is not the id without it.
        #expect(reference.findings.first { $0.grantID == .integer(7) }?.reason == "unknown-account")
        // The integer 7 and the text '7' are the same id as text.
        #expect(reference.findings.contains { $0.grantID == .integer(5) && $0.rule == "invalid-timestamp" && $0.column == "expires_at" })
        // Every grant is either unauditable (one finding) or auditable.
        let unauditable = Set(reference.findings.filter { $0.rule == "unauditable-grant" }.compactMap(\.grantID))
        #expect(unauditable == [.integer(2), .integer(6), .integer(7)])

        let text = TextRenderer().render(reference, context: RenderContext(colour: true))
        #expect(!text.contains("\u{1B}[2J"))
        #expect(!text.contains("\n[CRITICAL] forged"))
        #expect(text.contains("Eve\\x1B[2J\\n[CRITICAL] forged\\r"))
        #expect(!text.unicodeScalars.contains { $0.value >= 0x10_FF00 })
        let json = JSONRenderer().render(reference, context: RenderContext())
        #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil)
        #expect(json.contains("u\u{FFFD}-ca"))
        #expect(json.utf8.count > 2_000_000)
    }
}
