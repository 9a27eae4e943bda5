@testable import AccessAuditKit
import Testing

/// `actors` on hand-written histories over the rule examples' base.
struct ActorsTests {
    typealias E = RuleExample

    func actors(_ sql: String, from: String? = nil, to: String? = nil) throws -> [ActorSummary] {
        try Actors.run(
            Fixture.database(sql, base: true), database: "fixture", from: from.map(Fixture.timestamp), to: to.map(Fixture.timestamp)
        ).actors
    }

    static let history =
        // admin.one: national to an alliance user with no approval (two rules), then a clean one.
        E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'", approvedBy: "NULL")
        + E.grantEvent(2, "2026-05-03T10:00:00Z", "grant", grant: 2, account: "u-prov", level: "'organisation'")
        // Admin.One (the same person) approves their own change of grant 2 to alliance: three rules.
        + E.grantEvent(3, "2026-05-04T10:00:00Z", "change", grant: 2, account: "u-prov", level: "'alliance'", actor: "' Admin.One'",
            approvedBy: "'admin.one'")
        // admin.three: one clean grant, approved by approver.two.
        + E.grantEvent(4, "2026-05-05T10:00:00Z", "grant", grant: 3, account: "u-nat", level: "'alliance'", actor: "'admin.three'")
        + E.grantEvent(5, "2026-05-06T10:00:00Z", "revoke", grant: 1, account: "u-ca")

    @Test("An actor whose allocations break two rules; one that self-approves; one whose allocations are clean")
    func breakdown() throws {
        let result = try actors(Self.history)
        #expect(result.map(\.actor) == ["admin.one", "admin.three", "approver.two"])
        let one = try #require(result.first)
        #expect(one.granted == 3)
        #expect(one.approved == 1)
        #expect(one.breaking["level-exceeds-policy"] == 2)
        #expect(one.breaking["missing-approval"] == 1)
        #expect(one.breaking["self-approved"] == 1)
        #expect(one.breaking["above-default-level"] == 0)
        #expect(one.selfApproved == 1)
        #expect(one.missingApproval == 1)
        #expect(one.outOfPolicy == 2)
        #expect(one.firstBreach == Fixture.timestamp("2026-05-02T10:00:00Z"))
        #expect(one.lastBreach == Fixture.timestamp("2026-05-04T10:00:00Z"))
        let approver = result[2]
        #expect(approver.granted == 0 && approver.approved == 2 && approver.outOfPolicy == 0 && approver.firstBreach == nil)
        let three = result[1]
        #expect(three.granted == 1 && three.outOfPolicy == 0 && three.breaking.values.allSatisfy { $0 == 0 })
    }

    @Test("The window keeps only allocations inside it")
    func window() throws {
        let late = try actors(Self.history, from: "2026-05-04T10:00:00Z")
        #expect(late.first?.granted == 1)
        #expect(late.first?.firstBreach == Fixture.timestamp("2026-05-04T10:00:00Z"))
        #expect(try actors(Self.history, to: "2026-05-01").isEmpty)
    }

    @Test("Without a grant log, the grants table as it stands")
    func fromGrants() throws {
        let sql = E.grant(1, "u-ca", "national", by: "'kosei'", approvedBy: "'kosei'") + E.grant(2, "u-prov", "organisation", by: "'kosei'")
        let result = try actors(sql)
        let kosei = try #require(result.first)
        #expect(kosei.actor == "kosei")
        #expect(kosei.granted == 2 && kosei.approved == 1 && kosei.selfApproved == 1)
        #expect(kosei.breaking["level-exceeds-policy"] == 1 && kosei.breaking["self-approved"] == 1)
        #expect(kosei.outOfPolicy == 1)
    }

    @Test("The fast and the reference replay count the same", arguments: [3 as UInt64, 8])
    func engines(seed: UInt64) throws {
        try Fixture.withGeneratedDatabase(accounts: 2_000, seed: seed) { connection in
            let fast = try DatabaseAudit.readTransaction(connection, database: "g") {
                try Actors.fast(connection, database: "g", from: nil, to: nil, tuning: .init(threads: false)).sorted()
            }
            let reference = try DatabaseAudit.readTransaction(connection, database: "g") {
                try Actors.reference(connection, database: "g", from: nil, to: nil).sorted()
            }
            let piped = try DatabaseAudit.readTransaction(connection, database: "g") {
                try Actors.fast(connection, database: "g", from: nil, to: nil, tuning: .init(threads: true)).sorted()
            }
            #expect(piped == fast)
            #expect(!fast.isEmpty)
            #expect(fast.contains { $0.outOfPolicy > 0 })
            #expect(fast == reference)
        }
    }
}
