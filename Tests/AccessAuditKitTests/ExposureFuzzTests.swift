@testable import AccessAuditKit
import Testing

/// Seeded differential fuzzing of `exposure`'s fields on histories that breach and recover.
/// `DifferentialFuzzTests` throws no constraint at the engines, so few of its grants are
/// auditable and almost no breach ends inside a window; here the rule examples' base world
/// (valid levels, policies, organisations and accounts) takes random grants, changes, revokes,
/// moves and re-creates at times on and around the windows' edges, by actors that may be NULL,
/// so every interval field (`clipped`, `granted_by`, `approved_by`, `ended_by`) is compared on
/// every kind of interval.
struct ExposureFuzzTests {
    static let accounts = ["u-ca", "u-prov", "u-nat", "u-sup", "u-gone"]
    static let orgs = ["'P1'", "'CA1'", "'NAT'", "'SUP'", "'P2'"]
    static let levels = ["'organisation'", "'alliance'", "'national'"]
    static let scopes = ["NULL", "NULL", "'P1'", "'NAT'"]
    static let people = ["'kim'", "'lee'", "NULL", "'u-ca'", "''"]
    static let times = [
        "2026-01-01", "2026-01-15", "2026-02-01", "2026-03-01T10:00:00Z", "2026-03-01 11:00+01:00", "2026-04-01", "2026-06-01",
        "2026-06-01T00:00:00Z", "2026-06-15", "2026-07-01",
    ]
    static let actions = ["grant", "grant", "change", "change", "revoke"]

    static func database(seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        func pick(_ values: [String]) -> String { values[Int(random.int(0...Int64(values.count - 1)))] }
        var sql = ""
        for event in 1...Int(random.int(4...24)) {
            let at = pick(times)
            if random.chance(0.25) {
                let action = pick(["move", "move", "create", "status"])
                sql += RuleExample.accountEvent(
                    event, at, action, account: pick(accounts), org: pick(orgs), status: pick(["'active'", "'locked'", "NULL"]),
                    actor: pick(people))
            } else {
                sql += RuleExample.grantEvent(
                    event, at, pick(actions), grant: Int(random.int(1...4)), account: pick(accounts), level: pick(levels),
                    scope: pick(scopes), actor: pick(people), approvedBy: pick(people))
            }
            sql += "\n"
        }
        return sql
    }

    static let seeds = Array(UInt64(1)...80)

    @Test("exposure: fast and reference agree on every field of every interval", arguments: seeds)
    func agree(_ seed: UInt64) throws {
        let connection = try Fixture.database(Self.database(seed: seed), base: true)
        for (from, to) in DifferentialFuzzTests.windows {
            for rule in Exposure.rules {
                let reference = try Exposure.runReference(connection, database: "db", from: from, to: to, rule: rule)
                for pipelined in [true, false] {
                    let fast = try DatabaseAudit.readTransaction(connection, database: "db") {
                        try FastReplay.exposure(connection, database: "db", from: from, to: to, rule: rule, tuning: .init(threads: pipelined))
                    }
                    #expect(fast.intervals == reference.intervals, "seed \(seed) \(rule) from \(from) pipelined \(pipelined)")
                }
            }
        }
    }

    @Test("The fuzz is not vacuous: every kind of interval the contract names comes up")
    func coverage() throws {
        var kinds: [String: Int] = [:]
        for seed in Self.seeds {
            let connection = try Fixture.database(Self.database(seed: seed), base: true)
            for (from, to) in DifferentialFuzzTests.windows {
                for rule in Exposure.rules {
                    for interval in try Exposure.runReference(connection, database: "db", from: from, to: to, rule: rule).intervals {
                        kinds[interval.clipped ? "clipped" : "unclipped", default: 0] += 1
                        kinds[interval.ongoing ? "ongoing" : "ended", default: 0] += 1
                        if !interval.ongoing { kinds[interval.endedBy == nil ? "ended by a NULL actor" : "ended by someone", default: 0] += 1 }
                        if let action = interval.endedByAction { kinds["ended by a \(action)", default: 0] += 1 }
                        if interval.grantedBy == nil || interval.approvedBy == nil { kinds["NULL granted_by or approved_by", default: 0] += 1 }
                        if interval.start == interval.end { kinds["[T2, T2]", default: 0] += 1 }
                        if interval.start == from, !interval.clipped { kinds["begun at T1", default: 0] += 1 }
                    }
                }
            }
        }
        let wanted = [
            "clipped", "unclipped", "ongoing", "ended", "ended by a NULL actor", "ended by someone", "ended by a revoke", "ended by a change",
            "ended by a move", "NULL granted_by or approved_by", "[T2, T2]", "begun at T1",
        ]
        for kind in wanted { #expect(kinds[kind, default: 0] > 0, "no interval \(kind): \(kinds)") }
        print("exposure fuzz coverage: \(kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    }
}
