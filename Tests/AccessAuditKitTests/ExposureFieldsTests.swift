import AccessAuditKit
import Foundation
import Testing

/// CONTRACT.md §5's exposure fields beyond the interval itself: `clipped`, `granted_by`,
/// `approved_by`, `ended_by`, on both engines (`HistoryCommandTests.exposure` compares them).
struct ExposureFieldsTests {
    typealias E = RuleExample

    static func intervals(_ sql: String, from: String, to: String) throws -> [ExposureInterval] {
        try HistoryCommandTests.exposure(sql, from: from, to: to).intervals
    }

    /// The intervals as `exposure --format json` writes them.
    static func json(_ sql: String, from: String, to: String) throws -> [[String: Any]] {
        let report = try HistoryCommandTests.exposure(sql, from: from, to: to)
        let text = ExposureRenderer.render(report, format: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return try #require(object["intervals"] as? [[String: Any]])
    }

    /// u-ca (alliance) gets national on 05-02 10:00 from admin.one, no approver; admin.two revokes it on 05-05 12:00.
    static let incident = HistoryCommandTests.incident

    @Test("clipped: in force at T1 is clipped; beginning exactly at T1 or later is not")
    func clipped() throws {
        let before = try #require(try Self.intervals(Self.incident, from: "2026-05-03", to: "2026-05-31").first)
        #expect(before.clipped && before.start == Fixture.timestamp("2026-05-03"))
        let atT1 = try #require(try Self.intervals(Self.incident, from: "2026-05-02T10:00:00Z", to: "2026-05-31").first)
        #expect(!atT1.clipped && atT1.start == Fixture.timestamp("2026-05-02T10:00:00Z"))
        let inside = try #require(try Self.intervals(Self.incident, from: "2026-05-01", to: "2026-05-31").first)
        #expect(!inside.clipped)
    }

    @Test("clipped: an event at T1 that keeps the breach leaves it clipped, as at the start")
    func eventAtT1() throws {
        let sql =
            Self.incident
            + E.grantEvent(3, "2026-05-03T00:00:00Z", "change", grant: 1, account: "u-ca", level: "'national'", approvedBy: "'late.boss'")
        let interval = try #require(try Self.intervals(sql, from: "2026-05-03", to: "2026-05-31").first)
        #expect(interval.clipped)
        // granted_by and approved_by are as at the start: the state at T1, after the change at T1.
        #expect(interval.grantedBy == "admin.one")
        #expect(interval.approvedBy == "late.boss")
        // A breach that the event at T1 begins is not clipped, though it is in force at T1.
        let begun = E.grantEvent(1, "2026-05-03T00:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'")
        #expect(try Self.intervals(begun, from: "2026-05-03", to: "2026-05-31").map(\.clipped) == [false])
    }

    @Test("A breach that begins at T2 is [T2, T2], ongoing, not clipped, ended by no one")
    func beginsAtT2() throws {
        let intervals = try Self.json(Self.incident, from: "2026-05-01", to: "2026-05-02T10:00:00Z")
        #expect(intervals.count == 1)
        let interval = try #require(intervals.first)
        #expect(interval["start"] as? String == "2026-05-02T10:00:00Z" && interval["end"] as? String == "2026-05-02T10:00:00Z")
        #expect(interval["ongoing"] as? Bool == true)
        #expect(interval["clipped"] as? Bool == false)
        #expect(interval["ended_by"] is NSNull)
    }

    @Test("JSON: exactly the contract's members; NULL granted_by and approved_by are null")
    func members() throws {
        let sql = E.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'national'", actor: "NULL", approvedBy: "NULL")
            + E.grantEvent(2, "2026-05-04", "revoke", grant: 1, account: "u-ca", actor: "'admin.two'")
        let interval = try #require(try Self.json(sql, from: "2026-05-01", to: "2026-05-31").first)
        #expect(Set(interval.keys) == [
            "rule", "grant_id", "account_id", "org_id", "level", "start", "end", "ongoing", "clipped", "granted_by", "approved_by",
            "ended_by",
        ])
        #expect(interval["granted_by"] is NSNull)
        #expect(interval["approved_by"] is NSNull)
        #expect(interval["ended_by"] as? String == "admin.two")
        #expect(interval["clipped"] as? Bool == false)
    }

    @Test("ended_by is the actor of the event that ended it: a revoke, a change, a move, a create")
    func endedBy() throws {
        let grant = E.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'national'")
        let endings: [(sql: String, actor: String, action: String)] = [
            (E.grantEvent(2, "2026-05-04", "revoke", grant: 1, account: "u-ca", actor: "'revoker'"), "revoker", "revoke"),
            (E.grantEvent(2, "2026-05-04", "change", grant: 1, account: "u-ca", level: "'alliance'", actor: "'fixer'"), "fixer", "change"),
            (E.accountEvent(2, "2026-05-04", "move", account: "u-ca", org: "'NAT'", actor: "'hr.system'"), "hr.system", "move"),
            (E.accountEvent(2, "2026-05-04", "create", account: "u-ca", org: "'NAT'", actor: "'onboarding'"), "onboarding", "create"),
        ]
        for ending in endings {
            let interval = try #require(try Self.intervals(grant + ending.sql, from: "2026-05-01", to: "2026-05-31").first)
            #expect(!interval.ongoing && interval.end == Fixture.timestamp("2026-05-04"), "\(ending.action)")
            #expect(interval.endedBy == ending.actor, "\(ending.action)")
            #expect(interval.endedByAction == ending.action)
        }
    }

    @Test("An ending event whose actor is NULL: ended_by is null, and ongoing false tells it from an open breach")
    func endedByNoActor() throws {
        let sql =
            E.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'national'")
            + E.accountEvent(2, "2026-05-04", "move", account: "u-ca", org: "'NAT'", actor: "NULL")
        let interval = try #require(try Self.json(sql, from: "2026-05-01", to: "2026-05-31").first)
        #expect(interval["ongoing"] as? Bool == false)
        #expect(interval["end"] as? String == "2026-05-04T00:00:00Z")
        #expect(interval["ended_by"] is NSNull)
    }

    @Test("A status event does not end a state rule's breach (no state rule reads status)")
    func statusDoesNotEnd() throws {
        let sql =
            E.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'national'")
            + E.accountEvent(2, "2026-05-04", "status", account: "u-ca", status: "'locked'", actor: "'hr.system'")
        let intervals = try Self.intervals(sql, from: "2026-05-01", to: "2026-05-31")
        #expect(intervals.count == 1 && intervals.first?.ongoing == true && intervals.first?.endedBy == nil)
    }

    @Test("A breach that ends and begins again at one instant continues: ended by no one while ongoing, by the last ender after")
    func resumed() throws {
        let sql =
            E.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'national'")
            + E.grantEvent(2, "2026-05-03", "change", grant: 1, account: "u-ca", level: "'alliance'", actor: "'first'")
            + E.grantEvent(3, "2026-05-03", "change", grant: 1, account: "u-ca", level: "'national'", actor: "'second'")
        let open = try #require(try Self.intervals(sql, from: "2026-05-01", to: "2026-05-31").first)
        #expect(open.ongoing && open.endedBy == nil && open.endedByAction == nil)
        let ended = sql + E.grantEvent(4, "2026-05-06", "revoke", grant: 1, account: "u-ca", actor: "'third'")
        let closed = try Self.intervals(ended, from: "2026-05-01", to: "2026-05-31")
        #expect(closed.map(\.endedBy) == ["third"])
    }

    /// Found attacking the next build: the facts of an interval were those right after the event
    /// that began it, though a later event at the same instant changed the grant again.
    @Test("Events at the instant a breach begins: its facts are the state after all of them, as replay --as-of that instant says")
    func factsAfterEveryEventAtTheStart() throws {
        let sql =
            E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'", approvedBy: "'carol'")
            + E.grantEvent(2, "2026-05-02T10:00:00Z", "change", grant: 1, account: "u-ca", level: "'national'", actor: "'mallory'", approvedBy: "NULL")
            + E.grantEvent(3, "2026-05-04T10:00:00Z", "change", grant: 1, account: "u-ca", level: "'national'", approvedBy: "'late.boss'")
        let interval = try #require(try Self.intervals(sql, from: "2026-05-01", to: "2026-05-31").first)
        #expect(interval.start == Fixture.timestamp("2026-05-02T10:00:00Z") && interval.ongoing)
        #expect(interval.approvedBy == nil, "event 2 took the approver away at the start: \(interval.approvedBy ?? "nil")")
        #expect(interval.grantedBy == "admin.one")
        let replayed = try ReplayAudit.run(try Fixture.database(sql, base: true), database: "db", asOf: Fixture.timestamp("2026-05-02T10:00:00Z"))
        #expect(replayed.findings.contains { $0.rule == "missing-approval" && $0.grantID == .integer(1) }, "replay at the start agrees")
    }
}
