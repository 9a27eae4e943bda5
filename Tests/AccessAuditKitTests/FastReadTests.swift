@testable import AccessAuditKit
import Foundation
import Testing

/// Wrong verdicts found attacking the fast engine (docs/RELIABILITY.md): two passes over
/// `accounts` paired by position, grant ids used as sentinels, and the live grants' id order.
struct FastReadTests {
    static func audit(_ connection: Connection) -> (fast: String, reference: String) {
        let options = AuditOptions(now: RuleExample.now)
        let fast = EveryEngine.outcome {
            try DatabaseAudit.readTransaction(connection, database: "db") {
                try FastAudit.run(connection, database: "db", options: options, history: .inline)
            }
        }
        let reference = EveryEngine.outcome { try DatabaseAudit.runReference(connection, database: "db", options: options) }
        return (fast, reference)
    }

    static func replay(_ connection: Connection, asOf: String) -> (fast: String, reference: String) {
        let asOf = Fixture.timestamp(asOf)
        let fast = EveryEngine.outcome {
            try DatabaseAudit.readTransaction(connection, database: "db") {
                try FastReplay.audit(connection, database: "db", asOf: asOf, tuning: .init(threads: false))
            }
        }
        return (fast, EveryEngine.outcome { try ReplayAudit.runReference(connection, database: "db", asOf: asOf) })
    }

    static func exposure(_ connection: Connection, from: String, to: String) -> (fast: String, reference: String) {
        let (from, to) = (Fixture.timestamp(from), Fixture.timestamp(to))
        let rule = LevelExceedsPolicy().description.id
        let fast = DifferentialFuzzTests.outcome {
            try DatabaseAudit.readTransaction(connection, database: "db") {
                try FastReplay.exposure(connection, database: "db", from: from, to: to, rule: rule, tuning: .init(threads: false))
            }
        }
        return (fast, DifferentialFuzzTests.outcome { try Exposure.runReference(connection, database: "db", from: from, to: to, rule: rule) })
    }

    /// Two accounts, the second by rowid first by id, each with its own kind of finding.
    static let twoAccounts = """
        DELETE FROM accounts;
        INSERT INTO accounts VALUES ('acc-b', 'b.user', 'B', 'NAT', 'active', '2026-01-01', '2026-05-30');
        INSERT INTO accounts VALUES ('acc-a', 'a.user', 'A', 'P1', 'disabled', 'yesterday', '2026-05-30');
        \(RuleExample.grant(1, "acc-a", "national"))
        \(RuleExample.grant(2, "acc-b", "organisation"))
        """

    @Test("A covering index on accounts: the fast engine's two passes read the same rows as the reference")
    func coveringIndex() throws {
        let connection = try Fixture.database(
            Self.twoAccounts
                + "CREATE INDEX acc_cover ON accounts(account_id, username, org_id, status, created_at, last_login_at);",
            base: true)
        let (fast, reference) = Self.audit(connection)
        #expect(fast == reference)
        #expect(reference.contains("level-exceeds-policy") && reference.contains("inactive-account-access"))
        #expect(reference.contains("invalid-timestamp"))
    }

    @Test("accounts a view in random order: rows are paired by id, not by position")
    func randomOrderView() throws {
        var rows = ""
        for n in 0..<24 {
            let org = ["P1", "CA1", "NAT", "SUP"][n % 4]
            rows += "INSERT INTO accounts_t VALUES ('acc-\(n)', 'user\(n)', 'N', '\(org)', '\(n % 3 == 0 ? "locked" : "active")', "
                + "'\(n % 5 == 0 ? "yesterday" : "2026-01-01")', '2026-05-30');\n"
                + RuleExample.grant(n + 1, "acc-\(n)", n % 2 == 0 ? "national" : "organisation") + "\n"
        }
        let connection = try Fixture.database(
            "DROP TABLE accounts; CREATE TABLE accounts_t(account_id, username, display_name, org_id, status, created_at, last_login_at);"
                + "CREATE VIEW accounts AS SELECT * FROM accounts_t ORDER BY random();" + rows,
            base: true)
        let (fast, reference) = Self.audit(connection)
        #expect(fast == reference)
    }

    @Test("accounts a view that changes between reads: one line, exit 2, never a guess")
    func changingView() throws {
        var rows = ""
        for n in 0..<64 {
            rows += "INSERT INTO accounts_t VALUES ('acc-\(n)', 'user\(n)', 'N', 'P1', 'active', 'yesterday', NULL);\n"
        }
        let connection = try Fixture.database(
            "DROP TABLE accounts; CREATE TABLE accounts_t(account_id, username, display_name, org_id, status, created_at, last_login_at);"
                + "CREATE VIEW accounts AS SELECT account_id, username, display_name, org_id, "
                + "CASE WHEN random() % 2 = 0 THEN 'active' ELSE 'locked' END AS status, created_at, last_login_at FROM accounts_t;"
                + rows,
            base: true)
        #expect(throws: AuditError.self) {
            try DatabaseAudit.readTransaction(connection, database: "db") {
                try FastAudit.run(connection, database: "db", options: AuditOptions(now: RuleExample.now), history: .inline)
            }
        }
        let error = AuditError.readDifferently(table: "accounts", why: "account acc-1\nx has another first row")
        #expect(error.errorDescription == "accounts read differently on a second pass: account acc-1\\nx has another first row")
    }

    @Test("grant_id Int64.min and Int64.max are grants like any other", arguments: [Int64.min, Int64.max, -1, 0])
    func extremeGrantIDs(_ id: Int64) throws {
        let history = """
            INSERT INTO grants VALUES (\(id), 'u-nat', 'national', NULL, '2026-05-01', 'bob', 'carol', NULL);
            INSERT INTO grants VALUES (5, 'u-nat', 'national', NULL, '2026-05-01', 'bob', 'carol', NULL);
            INSERT INTO grant_events VALUES (1, '2026-05-01', 'grant', \(id), 'u-nat', 'national', NULL, 'bob', 'carol', NULL, NULL);
            INSERT INTO grant_events VALUES (2, '2026-05-01', 'grant', 5, 'u-nat', 'national', NULL, 'bob', 'carol', NULL, NULL);
            INSERT INTO account_events VALUES (1, '2026-05-10', 'move', 'u-nat', 'P1', NULL, 'hr', NULL);
            """
        let connection = try Fixture.database(history, base: true)
        let audit = Self.audit(connection)
        #expect(audit.fast == audit.reference)
        #expect(audit.reference.contains("duplicate-grant"))
        let replay = Self.replay(connection, asOf: "2026-05-05")
        #expect(replay.fast == replay.reference)
        #expect(replay.reference.contains("duplicate-grant"))
        let exposure = Self.exposure(connection, from: "2026-05-01", to: "2026-05-20")
        #expect(exposure.fast == exposure.reference)
        #expect(exposure.reference.contains("2026-05-10"))
    }

    @Test("replay: live grants in grant_id order when a sparse id falls below the grown dense array")
    func sparseBelowDense() throws {
        var sql = ""
        for (event, (id, level, scope)) in [
            (3_000_000, "organisation", "NULL"), (1_000_000, "alliance", "NULL"), (2_000_000, "alliance", "'NAT'"),
            (3_999_999, "organisation", "NULL"),
        ].enumerated() {
            sql += "INSERT INTO grant_events VALUES (\(event + 1), '2026-05-01', 'grant', \(id), 'u-prov', '\(level)', \(scope), 'bob', 'carol', NULL, NULL);\n"
        }
        let connection = try Fixture.database(sql, base: true)
        let replay = Self.replay(connection, asOf: "2026-05-02")
        #expect(replay.fast == replay.reference)
        #expect(replay.reference.contains("duplicate-grant:grant:3999999"))
    }

    @Test("Compact replay: forEach is in id order whatever mix of dense and sparse ids")
    func compactReplayOrder() {
        var replay = CompactReplay()
        let grant = CompactReplay.Grant(account: 1, level: 2, scope: -1, grantedBy: 3, approvedBy: -1)
        let ids: [Int64] = [3_000_000, .max, 1_000_000, .min, 2_000_000, -1, 3_999_999, 0, 1 << 20, 7]
        for id in ids { replay.set(id, grant) }
        #expect(replay.remaining().map(\.0) == ids.sorted())
        var visited: [Int64] = []
        replay.forEach { id, _ in visited.append(id) }
        #expect(visited == ids.sorted())
    }
}
