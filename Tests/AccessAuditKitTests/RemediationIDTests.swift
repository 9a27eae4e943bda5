@testable import AccessAuditKit
import Foundation
import Testing

/// Found attacking the next build: the remediation script named rows with SQL's `=` (affinity,
/// storage class, the column's collation), where the audit compares ids as text, byte for byte
/// (CONTRACT.md §2), an integer's canonical text being that integer (`DatabaseAudit.grantID`).
struct RemediationIDTests {
    /// The fixture's grants logged as they were made (event ids by rowid: the grant ids repeat).
    static let history = """
        INSERT INTO grant_events(event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, approved_by, expires_at, note)
          SELECT rowid, granted_at, 'grant', grant_id, account_id, level, scope_org_id, granted_by, approved_by, expires_at, NULL FROM grants;
        """

    struct Applied {
        var report: AuditReport
        var reaudit: AuditReport
        /// `grants` after the committed script: `class:text account level`, in rowid order.
        var left: [String]
        /// The script's events: `action class:text account`, in event_id order.
        var logged: [String]
    }

    /// Audits `sql`, applies its committed script to a fresh copy, and re-audits that copy.
    static func apply(_ sql: String) throws -> Applied {
        func database() throws -> Connection {
            let connection = try Connection()
            try connection.executeScript(sql)
            return connection
        }
        let options = AuditOptions(now: RuleExample.now)
        let report = try DatabaseAudit.run(try database(), database: "ids", options: options)
        let script = RemediationSQL.script(for: report, actor: "admin")
        let applied = try database()
        try applied.executeScript(script.replacingOccurrences(of: "ROLLBACK;  -- change to COMMIT after review", with: "COMMIT;"))
        func rows(_ select: String) throws -> [String] {
            var rows: [String] = []
            try applied.prepare(select).forEachRow { rows.append($0.text(0) ?? "") }
            return rows
        }
        let id = "typeof(grant_id) || ':' || CAST(grant_id AS TEXT) || ' ' || account_id"
        return Applied(
            report: report, reaudit: try DatabaseAudit.run(applied, database: "ids", options: options),
            left: try rows("SELECT \(id) || ' ' || level FROM grants ORDER BY rowid"),
            logged: try rows("SELECT action || ' ' || \(id) FROM grant_events WHERE actor = 'admin' ORDER BY event_id"))
    }

    static func keys(_ report: AuditReport, _ rule: String, _ ids: [GrantID]) -> Set<String> {
        Set(report.findings.filter { $0.rule == rule && ids.contains($0.grantID ?? .null) }.map(\.key))
    }

    @Test("An integer grant id names its integer, text and blob rows ('5' is grant 5): unique ones are fixed, a repeated one is left", arguments: [false, true])
    func textIntegerIDs(history: Bool) throws {
        let grants = """
            INSERT INTO grants VALUES
              ('5', 'u-prov', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', '2026-05-15'),
              (5, 'u-ca', 'alliance', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
              (X'36', 'u-ca', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', '2026-05-15'),
              ('7', 'u-nat', 'alliance', NULL, '2026-05-01', 'admin.one', 'approver.two', '2026-05-15'),
              (8, 'u-sup', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', '2026-05-15'),
              ('08', 'u-nat', 'national', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
              ('9', 'u-prov', 'national', 'P1', '2026-05-01', 'admin.one', 'approver.two', NULL);
            """
        let result = try Self.apply(ContractSchema.unconstrainedSQL + RuleExample.baseFixture + grants + (history ? Self.history : ""))
        let expired = Self.keys(result.report, "expired-grant", [.integer(5), .integer(6), .integer(7), .integer(8)])
        #expect(expired.count == 4)
        // Grant 5 names two rows (text '5' and integer 5): its fix changes nothing. 6, 7 and 8 are
        // gone whatever their storage class, '08' (not an integer's text) stays, '9' is lowered.
        #expect(result.left == ["text:5 u-prov organisation", "integer:5 u-ca alliance", "text:08 u-nat national", "text:9 u-prov organisation"])
        // u-sup's only grant (8) is gone, so it is no longer a dormant account holding one.
        let fixed = expired.subtracting(Self.keys(result.report, "expired-grant", [.integer(5)]))
            .union(Self.keys(result.report, "level-exceeds-policy", [.integer(9)])).union(["dormant-account:account:u-sup"])
        #expect(fixed.isSubset(of: Set(result.report.findings.map(\.key))) && fixed.count == 5)
        #expect(Set(result.reaudit.findings.map(\.key)) == Set(result.report.findings.map(\.key)).subtracting(fixed))
        #expect(Set(result.logged) == (history ? ["revoke blob:6 u-ca", "revoke text:7 u-nat", "revoke integer:8 u-sup", "change text:9 u-prov"] : []))
    }

    @Test("Ids compare byte for byte in the script whatever collation the columns declare (NOCASE, RTRIM)", arguments: ["NOCASE", "RTRIM"])
    func collation(_ collation: String) throws {
        // The look-alike each collation takes for the same text.
        func twin(_ id: String) -> String { collation == "NOCASE" ? id.uppercased() : id + " " }
        var schema = ContractSchema.unconstrainedSQL
        let plain = "CREATE TABLE grants(grant_id, account_id,"
        #expect(schema.contains(plain))
        schema = schema.replacingOccurrences(
            of: plain, with: "CREATE TABLE grants(grant_id COLLATE \(collation), account_id COLLATE \(collation),")
        let rows = """
            INSERT INTO accounts VALUES
              ('u-x', 'ux.one', 'Disabled', 'P1', 'disabled', '2026-01-01', NULL),
              ('\(twin("u-x"))', 'ux.two', 'Active look-alike', 'P1', 'active', '2026-01-01', '2026-05-30');
            INSERT INTO grants VALUES
              ('a-1', 'u-x', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
              ('B-1', 'u-x', 'organisation', 'P1', '2026-05-01', 'admin.one', 'approver.two', NULL),
              (2, '\(twin("u-x"))', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
              ('g-a', 'u-prov', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', '2026-05-15'),
              ('\(twin("g-a"))', 'u-ca', 'alliance', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL);
            """
        let result = try Self.apply(schema + RuleExample.baseFixture + rows + Self.history)
        // Only u-x's grants and the expired 'g-a' are gone; the look-alikes keep theirs.
        #expect(result.left == ["integer:2 \(twin("u-x")) organisation", "text:\(twin("g-a")) u-ca alliance"])
        // Revokes only for what was deleted, u-x's numbered in byte order ('B-1' before 'a-1').
        #expect(Set(result.logged) == ["revoke text:B-1 u-x", "revoke text:a-1 u-x", "revoke text:g-a u-prov"])
        #expect(result.logged.filter { $0.hasSuffix(" u-x") } == ["revoke text:B-1 u-x", "revoke text:a-1 u-x"])
        let fixed = Set(result.report.findings.filter { ["inactive-account-access", "expired-grant"].contains($0.rule) }.map(\.key))
        #expect(fixed.count == 2)
        #expect(Set(result.reaudit.findings.map(\.key)) == Set(result.report.findings.map(\.key)).subtracting(fixed))
    }
}
