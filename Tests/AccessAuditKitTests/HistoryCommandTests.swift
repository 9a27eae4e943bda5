@testable import AccessAuditKit
import Testing

/// `replay`, `exposure` and `timeline` on small SQL histories over the rule examples' base.
struct HistoryCommandTests {
    typealias E = RuleExample

    func replay(_ sql: String, asOf: String) throws -> AuditReport {
        try ReplayAudit.run(Fixture.database(sql, base: true), database: "fixture", asOf: Fixture.timestamp(asOf))
    }

    func exposure(_ sql: String, from: String, to: String, rule: String = "level-exceeds-policy") throws -> [ExposureInterval] {
        try Self.exposure(sql, from: from, to: to, rule: rule).intervals
    }

    /// `exposure` on both engines, which must agree on every field of every interval.
    static func exposure(_ sql: String, from: String, to: String, rule: String = "level-exceeds-policy") throws -> ExposureReport {
        let connection = try Fixture.database(sql, base: true)
        let (from, to) = (Fixture.timestamp(from), Fixture.timestamp(to))
        let reference = try Exposure.runReference(connection, database: "fixture", from: from, to: to, rule: rule)
        for pipelined in [true, false] {
            let fast = try DatabaseAudit.readTransaction(connection, database: "fixture") {
                try FastReplay.exposure(connection, database: "fixture", from: from, to: to, rule: rule, tuning: .init(threads: pipelined))
            }
            #expect(fast.intervals == reference.intervals, "the fast engine agrees with the reference (pipelined \(pipelined))")
        }
        return reference
    }

    /// u-ca (alliance) gets national on 05-02 10:00, revoked 05-05 12:00.
    static let incident =
        E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'", approvedBy: "NULL")
        + E.grantEvent(2, "2026-05-05T12:00:00Z", "revoke", grant: 1, account: "u-ca", actor: "'admin.two'")

    static func describe(_ interval: ExposureInterval) -> String {
        "\(interval.start) \(interval.end) \(interval.ongoing ? "ongoing" : "ended")"
    }

    // MARK: replay

    @Test("replay --as-of: events at or before T apply, later ones do not")
    func replayAsOf() throws {
        #expect(try replay(Self.incident, asOf: "2026-05-02T09:59:59Z").findings.isEmpty)
        let during = try replay(Self.incident, asOf: "2026-05-02T10:00:00Z")
        #expect(Set(during.findings.map(\.rule)) == ["level-exceeds-policy", "missing-approval"])
        #expect(during.command == "replay")
        #expect(during.now == Fixture.timestamp("2026-05-02T10:00:00Z"))
        #expect(during.grants == 1)
        #expect(try replay(Self.incident, asOf: "2026-05-05T12:00:00Z").findings.isEmpty)
    }

    @Test("An account that moved organisation keeps its grant, judged by its new organisation")
    func movedAccount() throws {
        let sql =
            E.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")
            + E.accountEvent(2, "2026-05-10", "move", account: "u-ca", org: "'P1'")
        #expect(try replay(sql, asOf: "2026-05-09").findings.map(\.rule) == ["above-default-level"])
        let after = try replay(sql, asOf: "2026-05-10")
        #expect(after.findings.map(\.rule) == ["level-exceeds-policy"])
        #expect(after.findings.first?.orgID == "P1")
    }

    @Test("Same instant across the logs: the move applies before the grant")
    func sameInstantTie() throws {
        // A grant and a move at the same instant; the move has the higher event_id but applies
        // first, so at that instant the grant is judged against P1 (provider, max organisation).
        let sql =
            E.grantEvent(1, "2026-05-10T08:00:00Z", "grant", grant: 1, account: "u-ca", level: "'alliance'")
            + E.accountEvent(5, "2026-05-10T09:00:00+01:00", "move", account: "u-ca", org: "'P1'")
        let intervals = try exposure(sql, from: "2026-05-01", to: "2026-05-20")
        #expect(intervals.count == 1)
        #expect(intervals.first?.start == Fixture.timestamp("2026-05-10T08:00:00Z"))
        #expect(intervals.first?.orgID == "P1")
    }

    @Test("replay skips dormant-account and account timestamps, checks expires_at, and reports invalid events up to T")
    func replayRules() throws {
        let sql =
            "UPDATE accounts SET created_at = 'bad' WHERE account_id = 'u-old';"
            + E.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-old", level: "'organisation'", expires: "'2026-13-01'")
            + E.grantEvent(2, "2026-05-02", "revoke", grant: 9, account: "u-old")
            + E.grantEvent(3, "2026-05-20", "revoke", grant: 9, account: "u-old")
            + E.grantEvent(4, "never", "revoke", grant: 9, account: "u-old")
        let report = try replay(sql, asOf: "2026-05-10")
        #expect(report.findings.map(\.key).sorted() == [
            "invalid-event:grant_events:2", "invalid-event:grant_events:4", "invalid-timestamp:grant:1:expires_at",
        ])
        let invalid = try #require(report.findings.first { $0.key == "invalid-event:grant_events:2" })
        #expect(invalid.table == "grant_events")
        #expect(invalid.eventID == .integer(2))
        #expect(invalid.grantID == .integer(9))
    }

    @Test("Accounts named only by events exist in the replayed state; username is blank")
    func eventOnlyAccount() throws {
        let sql =
            E.accountEvent(1, "2026-05-01", "create", account: "u-new", org: "'CA1'", status: "NULL")
            + E.grantEvent(2, "2026-05-02", "grant", grant: 1, account: "u-new", level: "'national'", approvedBy: "'u-new'")
            + E.grantEvent(3, "2026-05-02", "grant", grant: 2, account: "u-never", level: "'national'")
        let report = try replay(sql, asOf: "2026-05-03")
        #expect(Set(report.findings.map(\.rule)) == ["level-exceeds-policy", "self-approved", "unauditable-grant"])
        #expect(report.findings.first { $0.rule == "unauditable-grant" }?.reason == "unknown-account")
        #expect(report.accounts == 7)
    }

    @Test("No history rows: replay, exposure and timeline refuse")
    func noHistory() throws {
        #expect(throws: AuditError.noHistory("fixture")) { try replay("", asOf: "2026-01-01") }
        #expect(throws: AuditError.noHistory("fixture")) { try exposure("", from: "2026-01-01", to: "2026-02-01") }
        #expect(throws: AuditError.noHistory("fixture")) {
            try Timeline.run(Fixture.database("", base: true), database: "fixture", account: "u-ca")
        }
    }

    // MARK: exposure

    @Test("An interval inside the window: exact start and end, who ended it")
    func inside() throws {
        let intervals = try exposure(Self.incident, from: "2026-05-01", to: "2026-05-31")
        #expect(intervals.count == 1)
        let interval = try #require(intervals.first)
        #expect(interval.start == Fixture.timestamp("2026-05-02T10:00:00Z"))
        #expect(interval.end == Fixture.timestamp("2026-05-05T12:00:00Z"))
        #expect(!interval.ongoing)
        #expect(interval.level == "national")
        #expect(interval.orgID == "CA1")
        #expect(interval.accountID == "u-ca")
        #expect(interval.endedBy == "admin.two")
        #expect(interval.endedByAction == "revoke")
        #expect(ExposureRenderer.duration(interval.seconds) == "3d 2h 0m")
    }

    @Test("Starting before T1: starts at T1. Ending after T2: ongoing, ends at T2")
    func clipped() throws {
        let before = try exposure(Self.incident, from: "2026-05-03", to: "2026-05-31")
        #expect(before.first?.start == Fixture.timestamp("2026-05-03"))
        #expect(before.first?.ongoing == false)
        let after = try exposure(Self.incident, from: "2026-05-01", to: "2026-05-04")
        #expect(after.first?.end == Fixture.timestamp("2026-05-04"))
        #expect(after.first?.ongoing == true)
        let both = try exposure(Self.incident, from: "2026-05-03", to: "2026-05-04")
        #expect(both.count == 1)
        #expect(both.first.map(Self.describe) == "2026-05-03T00:00:00Z 2026-05-04T00:00:00Z ongoing")
    }

    @Test("A breach that never ends is ongoing; one that begins at T2 is [T2, T2]")
    func neverEnds() throws {
        let open = E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'")
        let intervals = try exposure(open, from: "2026-05-01", to: "2026-05-02T10:00:00Z")
        #expect(intervals.count == 1)
        #expect(intervals.first.map(Self.describe) == "2026-05-02T10:00:00Z 2026-05-02T10:00:00Z ongoing")
        #expect(try exposure(open, from: "2026-05-01", to: "2026-05-02T09:59:59Z").isEmpty)
        #expect(try exposure(Self.incident, from: "2026-05-06", to: "2026-05-31").isEmpty)
    }

    @Test("A breach that begins and ends at the same instant is no interval")
    func zeroLength() throws {
        let sql =
            E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'")
            + E.grantEvent(2, "2026-05-02T10:00:00Z", "change", grant: 1, account: "u-ca", level: "'alliance'")
        #expect(try exposure(sql, from: "2026-05-01", to: "2026-05-31").isEmpty)
    }

    @Test("Ending and beginning again at the same instant is one maximal interval")
    func merged() throws {
        let sql =
            E.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'national'")
            + E.grantEvent(2, "2026-05-03", "change", grant: 1, account: "u-ca", level: "'alliance'")
            + E.grantEvent(3, "2026-05-03", "change", grant: 1, account: "u-ca", level: "'national'")
            + E.grantEvent(4, "2026-05-04", "revoke", grant: 1, account: "u-ca")
            + E.grantEvent(5, "2026-05-06", "grant", grant: 1, account: "u-ca", level: "'national'")
        let intervals = try exposure(sql, from: "2026-05-01", to: "2026-05-31")
        #expect(intervals.map { [$0.start.description, $0.end.description, String($0.ongoing)] } == [
            ["2026-05-02T00:00:00Z", "2026-05-04T00:00:00Z", "false"],
            ["2026-05-06T00:00:00Z", "2026-05-31T00:00:00Z", "true"],
        ])
    }

    @Test("An account event can end a breach: moving to an organisation whose type allows the level")
    func moveEnds() throws {
        let sql =
            E.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'national'")
            + E.accountEvent(2, "2026-05-07", "move", account: "u-ca", org: "'NAT'")
        let intervals = try exposure(sql, from: "2026-05-01", to: "2026-05-31")
        #expect(intervals.count == 1)
        #expect(intervals.first?.end == Fixture.timestamp("2026-05-07"))
        #expect(intervals.first?.endedByAction == "move")
    }

    @Test("Other rules: missing-approval until a change adds an approver")
    func otherRule() throws {
        let sql =
            E.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'alliance'", approvedBy: "NULL")
            + E.grantEvent(2, "2026-05-03", "change", grant: 1, account: "u-ca", level: "'alliance'", approvedBy: "'boss'")
        let intervals = try exposure(sql, from: "2026-05-01", to: "2026-05-31", rule: "missing-approval")
        #expect(intervals.map(\.rule) == ["missing-approval"])
        #expect(intervals.first?.end == Fixture.timestamp("2026-05-03"))
        #expect(try exposure(sql, from: "2026-05-01", to: "2026-05-31").isEmpty)
    }

    @Test("Invalid events are skipped in exposure too")
    func invalidSkipped() throws {
        let sql = Self.incident + E.grantEvent(3, "2026-05-03", "revoke", grant: 99, account: "u-ca")
        let report = try Exposure.run(
            Fixture.database(sql, base: true), database: "f", from: Fixture.timestamp("2026-05-01"),
            to: Fixture.timestamp("2026-05-31"), rule: "level-exceeds-policy")
        #expect(report.invalidEvents == 1)
        #expect(report.intervals.count == 1)
    }

    // MARK: timeline

    @Test("A timeline lists the account's events with the findings in force after each")
    func timeline() throws {
        let sql =
            E.accountEvent(1, "2026-05-01", "status", account: "u-ca", status: "'active'")
            + Self.incident
            + E.grantEvent(3, "2026-05-03", "grant", grant: 5, account: "u-prov", level: "'organisation'")
            + E.grantEvent(4, "2026-05-04", "change", grant: 1, account: "u-prov", level: "'organisation'")
        let report = try Timeline.run(Fixture.database(sql, base: true), database: "f", account: "u-ca")
        #expect(report.entries.map { "\($0.event.log.rawValue):\($0.event.eventID)" } == [
            "account_events:1", "grant_events:1", "grant_events:4", "grant_events:2",
        ])
        #expect(report.entries.map { $0.findings.map(\.rule).sorted() } == [
            [], ["level-exceeds-policy", "missing-approval"], ["level-exceeds-policy", "missing-approval"], [],
        ])
        #expect(report.entries[2].invalidReason != nil)
        #expect(report.account?.username == "ca.user")
        let text = TimelineRenderer.render(report, format: .text)
        #expect(text.contains("in force (out of policy):"))
        #expect(text.contains("back within policy"))
        #expect(text.contains("INVALID, skipped"))
    }

    @Test("Timeline: a revoke logged under another account_id still belongs to the holder's story")
    func foreignRevoke() throws {
        let sql =
            E.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'national'")
            + E.grantEvent(2, "2026-05-03", "revoke", grant: 1, account: "u-prov")
        let report = try Timeline.run(Fixture.database(sql, base: true), database: "f", account: "u-ca")
        #expect(report.entries.count == 2)
        #expect(report.entries.last?.findings.isEmpty == true)
    }

    @Test("Timeline includes inactive-account-access and unauditable grants")
    func timelineAccountRules() throws {
        let sql =
            E.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'alliance'")
            + E.accountEvent(2, "2026-05-03", "status", account: "u-ca", status: "'locked'")
            + E.accountEvent(3, "2026-05-04", "move", account: "u-ca", org: "'GONE'")
        let report = try Timeline.run(Fixture.database(sql, base: true), database: "f", account: "u-ca")
        #expect(report.entries.map { $0.findings.map(\.rule) } == [
            ["above-default-level"], ["inactive-account-access", "above-default-level"], ["unauditable-grant"],
        ])
    }

    @Test("Timeline of an account with neither row nor history is an error")
    func unknownAccount() throws {
        #expect(throws: AuditError.self) {
            try Timeline.run(Fixture.database(Self.incident, base: true), database: "f", account: "nobody")
        }
    }
}
