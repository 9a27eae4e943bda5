@testable import AccessAuditKit
import Testing

/// §4 ordering: by occurred_at as a time; at the same instant account events first, then by
/// event_id; invalid times first (they are reported and skipped).
struct EventOrderTests {
    func order(_ sql: String) throws -> [String] {
        let connection = try Fixture.database(sql)
        let logs = EventReader.Logs(grantEvents: true, accountEvents: true)
        var seen: [String] = []
        try EventReader.forEachEvent(connection, logs: logs) { event in
            seen.append("\(event.log == .grantEvents ? "g" : "a")\(event.eventID)")
            return true
        }
        return seen
    }

    /// The order through the cheap path (with its fallback), and how often it fell back.
    func fastOrder(_ sql: String, stopAfter: Int = .max) throws -> (order: [String], resets: Int) {
        let connection = try Fixture.database(sql)
        let logs = EventReader.Logs(grantEvents: true, accountEvents: true)
        var seen: [String] = []
        var resets = 0
        try EventReader.forEachEvent(connection, logs: logs, reset: { seen = []; resets += 1 }) { event in
            seen.append("\(event.log == .grantEvents ? "g" : "a")\(event.eventID)")
            return seen.count < stopAfter
        }
        return (seen, resets)
    }

    @Test("The event_id-order path gives the exact order when ids follow time")
    func textOrderPath() throws {
        let sql =
            RuleExample.grantEvent(1, "2026-05-01T10:00:00Z", "grant", grant: 1, account: "u")
            + RuleExample.accountEvent(9, "2026-05-01T11:00:00+01:00", "move", account: "u")
            + RuleExample.grantEvent(3, "2026-05-01 10:00", "revoke", grant: 1, account: "u")
            + RuleExample.accountEvent(2, "2026-04-01T10:00:00Z", "status", account: "u")
            + RuleExample.grantEvent(4, "2026-06-01T10:00:00Z", "grant", grant: 2, account: "u")
        let fast = try fastOrder(sql)
        #expect(fast.resets == 0)
        #expect(fast.order == (try order(sql)))
        #expect(fast.order == ["a2", "a9", "g1", "g3", "g4"])
    }

    @Test("Ids out of time order: the cheap path notices, resets and falls back to the exact order")
    func idOrderFallback() throws {
        let sql =
            RuleExample.grantEvent(1, "2026-05-01T10:00:00+01:00", "grant", grant: 1, account: "u")
            + RuleExample.grantEvent(2, "2026-05-01T08:30:00Z", "grant", grant: 2, account: "u")
            + RuleExample.grantEvent(3, "2026-05-01T09:30:00Z", "grant", grant: 3, account: "u")
        let fast = try fastOrder(sql)
        #expect(fast.resets == 1)
        #expect(fast.order == ["g2", "g1", "g3"])
        #expect(fast.order == (try order(sql)))
    }

    @Test("Invalid times are delivered even after the consumer stops")
    func invalidAfterStop() throws {
        let sql =
            RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u")
            + RuleExample.grantEvent(2, "2026-05-02", "grant", grant: 2, account: "u")
            + RuleExample.grantEvent(3, "zzz", "grant", grant: 3, account: "u")
            + RuleExample.accountEvent(4, "31/12/2026", "move", account: "u")
        let fast = try fastOrder(sql, stopAfter: 1)
        #expect(fast.resets == 0)
        #expect(Set(fast.order) == ["g1", "g3", "a4"])
    }

    @Test("Same instant across logs: account events before grant events, each by event_id")
    func ties() throws {
        let sql =
            RuleExample.grantEvent(1, "2026-05-01T10:00:00Z", "grant", grant: 1, account: "u")
            + RuleExample.accountEvent(9, "2026-05-01T11:00:00+01:00", "move", account: "u")
            + RuleExample.grantEvent(3, "2026-05-01 10:00", "revoke", grant: 1, account: "u")
            + RuleExample.accountEvent(2, "2026-05-01T10:00:00.000Z", "status", account: "u")
        #expect(try order(sql) == ["a2", "a9", "g1", "g3"])
    }

    @Test("Time order, not text order")
    func zonesAndFractions() throws {
        let sql =
            RuleExample.grantEvent(1, "2026-05-01T10:00:00+01:00", "grant", grant: 1, account: "u")  // 09:00Z
            + RuleExample.grantEvent(2, "2026-05-01T09:30:00Z", "grant", grant: 2, account: "u")
            + RuleExample.grantEvent(3, "2026-05-01T09:00:00.5Z", "grant", grant: 3, account: "u")
            + RuleExample.grantEvent(4, "2026-05-01T09:00:00.25Z", "grant", grant: 4, account: "u")
            + RuleExample.grantEvent(5, "2026-04-30T23:59:59-09:00", "grant", grant: 5, account: "u")  // 08:59:59Z
            + RuleExample.grantEvent(6, "2026-05-01", "grant", grant: 6, account: "u")
        #expect(try order(sql) == ["g6", "g5", "g1", "g4", "g3", "g2"])
    }

    @Test("Invalid times come first")
    func invalidFirst() throws {
        let sql =
            RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u")
            + RuleExample.grantEvent(2, "soon", "grant", grant: 2, account: "u")
            + RuleExample.accountEvent(3, "2026-02-30", "move", account: "u")
        #expect(try order(sql) == ["a3", "g2", "g1"])
    }

    @Test("The sort key orders exactly as Timestamp does")
    func sortKeyProperty() {
        var generator = SplitMix64(seed: 42)
        var stamps: [Timestamp] = []
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: -62_135_596_800...253_402_300_799, using: &generator)
            let digits = Int.random(in: 0...4, using: &generator)
            let fraction = String((0..<digits).map { _ in "0123456789".randomElement(using: &generator)! })
            stamps.append(Timestamp(seconds: Int64.random(in: 0...2, using: &generator) == 0 ? 1_000 : seconds, fraction: fraction))
        }
        for (a, b) in zip(stamps, stamps.dropFirst()) {
            let keyOrder = EventReader.sortKey(a).utf8.lexicographicallyPrecedes(EventReader.sortKey(b).utf8)
            #expect(keyOrder == (a < b), "\(a.seconds).\(a.fraction) vs \(b.seconds).\(b.fraction)")
            #expect((EventReader.sortKey(a) == EventReader.sortKey(b)) == (a == b))
        }
    }

    @Test("The file's own views and triggers cannot call access_audit_instant (SQLITE_DIRECTONLY); the tool's query can")
    func instantFunctionConfined() throws {
        let connection = try Connection()
        try connection.executeScript("""
            CREATE VIEW v AS SELECT access_audit_instant('2026-01-01T00:00:00Z') AS k;
            CREATE TABLE log(x); CREATE TRIGGER tr AFTER INSERT ON log BEGIN SELECT access_audit_instant('2026-01-01'); END;
            """)
        try EventReader.registerInstantFunction(connection)
        var direct: String?
        try connection.prepare("SELECT access_audit_instant('2026-01-01T00:00:00Z')").forEachRow { direct = $0.text(0) }
        #expect(direct == EventReader.sortKey(Timestamp("2026-01-01T00:00:00Z")!))
        #expect(throws: SQLiteError.self) { try connection.execute("SELECT k FROM v") }
        #expect(throws: SQLiteError.self) { try connection.execute("INSERT INTO log VALUES (1)") }
    }
}
