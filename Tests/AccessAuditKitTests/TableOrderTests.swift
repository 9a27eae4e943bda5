@testable import AccessAuditKit
import Testing

/// Where the order of rows decides a verdict (the first row of a repeated id, two events with one
/// event_id at one instant), every engine takes table order, whatever index the database carries:
/// an index must not choose the verdict (`TableOrder`). Each case is run without an index and
/// with indexes that list the rows in each direction; every engine of every command must give
/// what the bare table gives.
@Suite("Table order decides, not an index")
struct TableOrderTests {
    static let now = RuleExample.now
    static let start = Fixture.timestamp("2020-01-01T00:00:00Z")

    /// The same database with each of `indexes` (and none): every engine's outcome of every command.
    ///
    /// `declined`: the fast engine declines these ids (text event or grant ids), so each command
    /// runs on the reference path and through its public entry (which falls back to it).
    static func outcomes(
        _ sql: String, indexes: [String], sortMemory: Int? = nil, declined: Bool = false
    ) throws -> [String: [String]] {
        var seen: [String: [String]] = [:]
        for index in [""] + indexes {
            let connection = try Fixture.database(sql + index, base: true)
            var outcome: [String] = []
            if declined {
                let options = AuditOptions(now: now)
                outcome.append("audit reference: " + EveryEngine.outcome { try DatabaseAudit.runReference(connection, database: "db", options: options) })
                outcome.append("audit: " + EveryEngine.outcome { try DatabaseAudit.run(connection, database: "db", options: options) })
                outcome.append("replay reference: " + EveryEngine.outcome { try ReplayAudit.runReference(connection, database: "db", asOf: now) })
                outcome.append("replay: " + EveryEngine.outcome { try ReplayAudit.run(connection, database: "db", asOf: now) })
                for run in [Exposure.runReference, { try Exposure.run($0, database: $1, from: $2, to: $3, rule: $4) }] {
                    let report = try run(connection, "db", start, now, "level-exceeds-policy")
                    outcome.append("exposure: " + report.intervals.map(EveryEngine.describe).joined(separator: "; "))
                }
                seen[index.isEmpty ? "no index" : index] = outcome
                continue
            }
            for (name, report) in try EveryEngine.audits(connection, now: now) {
                outcome.append("\(name): " + EveryEngine.outcome { report })
            }
            if try hasHistory(connection) {
                for (name, report) in try EveryEngine.replays(connection, asOf: now) {
                    outcome.append("\(name): " + EveryEngine.outcome { report })
                }
                if let sortMemory {
                    var tuning = AuditOptions.Tuning(threads: false)
                    tuning.sortMemory = sortMemory
                    let report = try DatabaseAudit.readTransaction(connection, database: "db") {
                        try FastReplay.audit(connection, database: "db", asOf: now, tuning: tuning)
                    }
                    outcome.append("replay fast spilled: " + EveryEngine.outcome { report })
                }
                for (name, report) in try EveryEngine.exposures(connection, from: start, to: now, rule: "level-exceeds-policy") {
                    outcome.append("\(name): " + report.intervals.map(EveryEngine.describe).joined(separator: "; "))
                }
            }
            seen[index.isEmpty ? "no index" : index] = outcome
        }
        return seen
    }

    static func hasHistory(_ connection: Connection) throws -> Bool {
        var rows: Int64 = 0
        try connection.prepare("SELECT (SELECT count(*) FROM grant_events) + (SELECT count(*) FROM account_events)").forEachRow {
            rows = $0.int64(0)
        }
        return rows > 0
    }

    /// Every run of `seen` is the bare table's, and the bare table's audit says `expected` of each engine.
    static func expectTableOrder(
        _ seen: [String: [String]], contains expected: String, commands: [String] = ["audit", "replay"]
    ) {
        let bare = seen["no index"] ?? []
        #expect(!bare.isEmpty)
        for (index, outcome) in seen where index != "no index" {
            #expect(outcome == bare, "with \(index)")
        }
        for line in bare where commands.contains(where: { line.hasPrefix($0) }) {
            #expect(line.contains(expected), "\(line)")
        }
    }

    @Test(
        "A repeated org_id: its first row in the table decides, not a covering index; in a view (no rowid), its values",
        arguments: [false, true])
    func repeatedOrganisation(view: Bool) throws {
        // X1 is a provider (max 'organisation') first, a national producer second.
        let source = view ? "organisations_source" : "organisations"
        let sql = (view
            ? "ALTER TABLE organisations RENAME TO organisations_source; CREATE VIEW organisations AS SELECT * FROM organisations_source;"
            : "") + """
            INSERT INTO \(source) VALUES ('X1', 'Twice', 'provider', NULL), ('X1', 'Twice', 'national_producer', NULL);
            INSERT INTO accounts VALUES ('u-x', 'x.user', NULL, 'X1', 'active', '2026-01-01', '2026-05-30');
            """ + RuleExample.grant(1, "u-x", "national")
        let seen = try Self.outcomes(sql, indexes: [
            "CREATE INDEX o ON \(source)(org_id, org_type, name);", "CREATE INDEX o ON \(source)(org_id, org_type DESC, name);",
        ])
        // In table order the provider's row is first: 'national' breaks its policy. A view's rows go
        // by value, and 'national_producer' < 'provider': there 'national' is above the default only.
        Self.expectTableOrder(seen, contains: view ? "above-default-level:grant:1" : "level-exceeds-policy:grant:1")
    }

    @Test("A repeated account_id: its first row decides the organisation, not a covering index")
    func repeatedAccount() throws {
        let sql = """
            INSERT INTO accounts VALUES ('u-x', 'x.user', NULL, 'P1', 'active', '2026-01-01', '2026-05-30');
            INSERT INTO accounts VALUES ('u-x', 'x.user', NULL, 'NAT', 'active', '2026-01-01', '2026-05-30');
            """ + RuleExample.grant(1, "u-x", "national")
        let seen = try Self.outcomes(sql, indexes: [
            "CREATE INDEX a ON accounts(account_id, org_id, username, status, created_at, last_login_at, display_name);",
            "CREATE INDEX a ON accounts(account_id, org_id DESC, username, status, created_at, last_login_at, display_name);",
        ])
        Self.expectTableOrder(seen, contains: "level-exceeds-policy:grant:1")
    }

    @Test("A level defined twice: its first row's rank, not a covering index's")
    func repeatedLevel() throws {
        // 'wide' is first rank 40 (above 'organisation'), then 5.
        let sql = "INSERT INTO access_levels VALUES ('wide', 40, NULL), ('wide', 5, NULL);" + RuleExample.grant(1, "u-prov", "wide")
        let seen = try Self.outcomes(sql, indexes: [
            "CREATE INDEX l ON access_levels(level, rank);", "CREATE INDEX l ON access_levels(level, rank DESC);",
        ])
        Self.expectTableOrder(seen, contains: "level-exceeds-policy:grant:1")
    }

    /// A revoke and a grant of grant 9 ('national' for a provider) with one event_id at one
    /// instant, the revoke first in the table: the revoke finds nothing (invalid-event), the
    /// grant stands. `shuffle` adds an earlier event after them, so the logs are out of
    /// event_id order and the sorted paths run.
    static func sameEventID(revokeFirst: Bool, shuffle: Bool) -> String {
        let grant = "(7, '2026-02-01T00:00:00Z', 'grant', 9, 'u-prov', 'national', NULL, 'admin', 'boss', NULL, NULL)"
        let revoke = "(7, '2026-02-01T00:00:00Z', 'revoke', 9, 'u-prov', NULL, NULL, 'admin', NULL, NULL, NULL)"
        let rows = revokeFirst ? [revoke, grant] : [grant, revoke]
        return "INSERT INTO grant_events VALUES \(rows.joined(separator: ", "));"
            + (shuffle
                ? "INSERT INTO grant_events VALUES (8, '2026-01-01T00:00:00+01:00', 'grant', 3, 'u-ca', 'alliance', NULL, 'admin', 'boss', NULL, NULL);"
                : "")
    }

    static let eventIndexes = [
        "CREATE INDEX e ON grant_events(event_id, action);", "CREATE INDEX e ON grant_events(event_id, action DESC);",
        "CREATE INDEX e ON grant_events(occurred_at, event_id, action);",
        "CREATE INDEX e ON grant_events(occurred_at, event_id, action DESC);",
    ]

    @Test("One event_id twice at one instant: table order applies them, on every path", arguments: [false, true])
    func repeatedEventID(shuffle: Bool) throws {
        // Revoke first: the grant stands, 'national' on a provider.
        let stands = try Self.outcomes(
            Self.sameEventID(revokeFirst: true, shuffle: shuffle) + RuleExample.grant(9, "u-prov", "national"),
            indexes: Self.eventIndexes, sortMemory: 1)
        Self.expectTableOrder(stands, contains: "invalid-event:grant_events:7")
        for line in stands["no index"] ?? [] where line.hasPrefix("replay") {
            #expect(line.contains("level-exceeds-policy:grant:9"), "\(line)")
        }
        // Grant first: revoked at once, nothing stands.
        let revoked = try Self.outcomes(
            Self.sameEventID(revokeFirst: false, shuffle: shuffle), indexes: Self.eventIndexes, sortMemory: 1)
        for (index, outcome) in revoked {
            #expect(outcome == revoked["no index"], "with \(index)")
            for line in outcome where line.hasPrefix("replay") {
                #expect(!line.contains("level-exceeds-policy"), "\(index): \(line)")
            }
        }
    }

    /// A revoke of grant 9 under event id `first` and its grant under `second`, both at one
    /// instant, on a grant_events table declared by `table` (nil: the fixture's).
    static func idOrdered(first: String, second: String, table: String? = nil) -> String {
        (table.map { "DROP TABLE grant_events; \($0);" } ?? "")
            + "INSERT INTO grant_events VALUES (\(second), '2026-02-01T00:00:00Z', 'grant', 9, 'u-prov', 'national', NULL, 'admin.one', 'approver.two', NULL, NULL);"
            + "INSERT INTO grant_events VALUES (\(first), '2026-02-01T00:00:00Z', 'revoke', 9, 'u-prov', NULL, NULL, 'admin.one', NULL, NULL, NULL);"
    }

    @Test(
        "Events at one instant go by event_id as ids compare, not as SQLite sorts the column",
        arguments: [
            // Text ids: '2' is the integer 2, before '10' (text order would put '10' first).
            ("'2'", "'10'", nil),
            // A COLLATE NOCASE column: 'B' before 'a' byte for byte.
            ("'B'", "'a'", "CREATE TABLE grant_events(event_id COLLATE NOCASE, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, approved_by, expires_at, note)"),
            ("'B'", "'a'", "CREATE TABLE grant_events(event_id TEXT COLLATE NOCASE PRIMARY KEY, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, approved_by, expires_at, note)"),
        ] as [(String, String, String?)])
    func idOrder(first: String, second: String, table: String?) throws {
        // The revoke comes first: it finds nothing, the national grant stands.
        let seen = try Self.outcomes(
            Self.idOrdered(first: first, second: second, table: table) + RuleExample.grant(9, "u-prov", "national"),
            indexes: ["CREATE INDEX e ON grant_events(occurred_at, event_id);"], declined: true)
        Self.expectTableOrder(seen, contains: "cannot be applied: revoke of grant 9, which does not exist")
        for line in seen["no index"] ?? [] where line.hasPrefix("replay") {
            #expect(line.contains("level-exceeds-policy:grant:9"), "\(line)")
        }
        for line in seen["no index"] ?? [] where line.hasPrefix("exposure") {
            #expect(line.contains("9 u-prov P1 national"), "\(line)")
        }
    }

    @Test("Text grant ids '2' and '10': the lower id is 2, and '10' is its duplicate")
    func textGrantIDOrder() throws {
        for table in [nil, "CREATE TABLE grants(grant_id TEXT COLLATE NOCASE, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at)"] {
            let sql = (table.map { "DROP TABLE grants; \($0);" } ?? "")
                + "INSERT INTO grants VALUES ('10', 'u-ca', 'alliance', NULL, '2026-05-01T10:00:00Z', 'admin.one', 'approver.two', NULL);"
                + "INSERT INTO grants VALUES ('2', 'u-ca', 'alliance', NULL, '2026-05-01T10:00:00Z', 'admin.one', 'approver.two', NULL);"
            let connection = try Fixture.database(sql, base: true)
            let options = AuditOptions(now: Self.now)
            for report in [try DatabaseAudit.runReference(connection, database: "db", options: options),
                           try DatabaseAudit.run(connection, database: "db", options: options)] {
                #expect(Fixture.findings("duplicate-grant", in: report).map(\.grantID) == [.integer(10)], "\(table ?? "untyped")")
            }
        }
    }

    @Test("A repeated grant_id: the first row in the table is the one compared with the log")
    func repeatedGrantID() throws {
        let sql = RuleExample.grant(1, "u-ca", "organisation") + RuleExample.grant(1, "u-ca", "alliance")
            + "INSERT INTO grant_events VALUES (1, '2026-05-01T10:00:00Z', 'grant', 1, 'u-ca', 'organisation', NULL, 'admin.one', 'approver.two', NULL, NULL);"
        let seen = try Self.outcomes(sql, indexes: [
            "CREATE INDEX g ON grants(grant_id, level);", "CREATE INDEX g ON grants(grant_id, level DESC);",
        ])
        Self.expectTableOrder(seen, contains: "is in the grants table but not in the replayed grant_events", commands: ["audit"])
    }

    @Test("The tie-break: the rowid under a free name; none for a view, WITHOUT ROWID or every name taken")
    func tieBreak() throws {
        let connection = try Connection()
        try connection.executeScript(
            """
            CREATE TABLE plain(a); CREATE TABLE shadowed(rowid, b); CREATE TABLE taken(rowid, _rowid_, oid);
            CREATE TABLE strict_key(a PRIMARY KEY) WITHOUT ROWID; CREATE VIEW seen AS SELECT * FROM plain;
            CREATE TEMP VIEW plain2 AS SELECT 1 AS a; CREATE TABLE plain2(a);
            """)
        #expect(try TableOrder.rowid(connection, "plain") == "rowid")
        #expect(try TableOrder.rowid(connection, "PLAIN") == "rowid")
        #expect(try TableOrder.rowid(connection, "shadowed") == "_rowid_")
        #expect(try TableOrder.rowid(connection, "taken") == nil)
        #expect(try TableOrder.rowid(connection, "strict_key") == nil)
        #expect(try TableOrder.rowid(connection, "seen") == nil)
        // An unqualified name is the temp view first.
        #expect(try TableOrder.rowid(connection, "plain2") == nil)
        #expect(try TableOrder.orderBy(connection, "seen", keys: ["a"], columns: 2) == " ORDER BY a, 1, 2")
    }
}
