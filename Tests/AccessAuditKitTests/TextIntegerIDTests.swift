@testable import AccessAuditKit
import Testing

/// Ids compare as text (CONTRACT.md §2, `CAST(x AS TEXT)`): a log written by a system that
/// stored grant `'1'` as text names grant `1`. Found attacking the build: the replay keyed grants
/// by storage class, so a `change` of `'1'` raising integer grant 1 to national was an
/// `invalid-event` (medium) and replay and exposure passed; the audit reported two
/// `history-mismatch` findings for one grant that agrees with its log.
struct TextIntegerIDTests {
    static let history = """
        INSERT INTO grants VALUES (1, 'u-prov', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL);
        INSERT INTO grant_events VALUES
          (1, '2026-05-01', 'grant', 1, 'u-prov', 'organisation', NULL, 'admin.one', 'approver.two', NULL, NULL),
          (2, '2026-05-10', 'change', '1', 'u-prov', 'national', NULL, 'admin.one', 'approver.two', NULL, NULL),
          (3, '2026-05-20', 'change', CAST('1' AS BLOB), 'u-prov', 'organisation', NULL, 'admin.one', 'approver.two', NULL, NULL);
        """

    @Test("replay and exposure apply a change logged for grant '1' (text or blob) to grant 1")
    func historyByText() throws {
        let connection = try Fixture.database(Self.history, base: true)
        let replay = try ReplayAudit.run(connection, database: "db", asOf: Fixture.timestamp("2026-05-15"))
        #expect(replay.findings.map(\.key).contains("level-exceeds-policy:grant:1"), "\(replay.findings.map(\.key))")
        #expect(!replay.findings.contains { $0.rule == "invalid-event" })
        let reference = try ReplayAudit.runReference(connection, database: "db", asOf: Fixture.timestamp("2026-05-15"))
        #expect(reference.findings.map(\.key) == replay.findings.map(\.key))
        let exposure = try Exposure.run(
            connection, database: "db", from: Fixture.timestamp("2026-05-01"), to: Fixture.timestamp("2026-06-01"),
            rule: "level-exceeds-policy")
        #expect(exposure.intervals.map { "\($0.grantID) \($0.start) \($0.end)" } == ["1 2026-05-10T00:00:00Z 2026-05-20T00:00:00Z"])
    }

    @Test("The audit compares grants row 1 with the log of '1': one grant, no history-mismatch; '01' and '1.0' stay other ids")
    func auditByText() throws {
        let agreeing = try Fixture.database(Self.history, base: true)
        let report = try DatabaseAudit.run(agreeing, database: "db", options: AuditOptions(now: RuleExample.now))
        #expect(!report.findings.contains { $0.rule == "history-mismatch" || $0.rule == "invalid-event" }, "\(report.findings.map(\.key))")
        for other in ["'01'", "'+1'", "'1.0'", "' 1'"] {
            let connection = try Fixture.database(Self.history.replacingOccurrences(of: "'change', '1'", with: "'change', \(other)"), base: true)
            let audit = try DatabaseAudit.run(connection, database: "db", options: AuditOptions(now: RuleExample.now))
            #expect(audit.findings.contains { $0.rule == "invalid-event" }, "\(other) is not grant 1")
        }
    }
}
