import AccessAuditKit
import Foundation
import Testing

/// While another connection inserts and deletes grants in a loop (keeping their number fixed in
/// every committed state), every audit must see exactly one committed state.
struct ConcurrencyTests {
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    /// Runs `body` with the path of a database that a writer on another thread creates in
    /// `journal` mode, fills with `setup`, then changes with `step(n)` (n = 1, 2, …), one
    /// transaction each, until `body` returns.
    func withConcurrentWriter(
        journal: String, setup: @escaping @Sendable (Connection) throws -> Void,
        step: @escaping @Sendable (Connection, Int) throws -> Void, _ body: (String) throws -> Void
    ) throws {
        let directory = try Fixture.temporaryDirectory("snap")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("live.db").path
        let ready = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let stop = Flag()
        let failed = Flag()
        let thread = Thread {
            defer { done.signal() }
            do {
                let writer = try Connection(creatingNewFileAt: path)
                try writer.execute("PRAGMA journal_mode = \(journal)")
                try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture)
                try setup(writer)
                ready.signal()
                var next = 1
                while !stop.isSet {
                    try step(writer, next)
                    next += 1
                }
            } catch {
                failed.set()
                ready.signal()
            }
        }
        thread.start()
        ready.wait()
        defer {
            stop.set()
            done.wait()
        }
        #expect(!failed.isSet)
        try body(path)
    }

    @Test("Audits under a concurrent writer see one committed state", arguments: ["DELETE", "WAL"])
    func snapshot(_ journal: String) throws {
        let grants = 40
        try withConcurrentWriter(journal: journal) { writer in
            for id in 1...grants {
                try writer.execute(
                    "INSERT INTO grants VALUES (\(id), 'u-ca', '\(id % 2 == 0 ? "national" : "alliance")', NULL, '2026-05-01', 'a', 'b', NULL)")
            }
        } step: { writer, n in
            // One insert and one delete per transaction: every committed state has `grants` rows,
            // and exactly half of them at national level.
            try writer.execute(
                "BEGIN IMMEDIATE; INSERT INTO grants SELECT \(grants + n), account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at FROM grants ORDER BY grant_id LIMIT 1; DELETE FROM grants WHERE grant_id = (SELECT min(grant_id) FROM grants); COMMIT")
        } _: { path in
            for _ in 0..<25 {
                let connection = try Connection(readOnlyPath: path, busyTimeoutMilliseconds: 10_000)
                let report = try DatabaseAudit.run(connection, database: "live", options: AuditOptions(now: RuleExample.now))
                #expect(report.grants == grants)
                #expect(Fixture.findings("level-exceeds-policy", in: report).count == grants / 2)
                #expect(Fixture.findings("above-default-level", in: report).count == grants / 2)
            }
        }
    }

    @Test("History on the second thread reads the same snapshot as the grants under a concurrent writer", arguments: ["DELETE", "WAL"])
    func historySnapshot(_ journal: String) throws {
        let grants = 200
        // Grant `id` and its log entries, at second `id` of 2026 (event ids 2·id and 2·id + 1).
        @Sendable func grant(_ id: Int) -> String {
            """
            INSERT INTO grants VALUES (\(id), 'u-ca', 'alliance', NULL, strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+\(id) seconds'), 'a', 'b', NULL);
            INSERT INTO grant_events VALUES (\(2 * id), strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+\(id) seconds'), 'grant', \(id), 'u-ca', 'alliance', NULL, 'a', 'b', NULL, NULL);
            """
        }
        @Sendable func revoke(_ id: Int, at second: Int) -> String {
            """
            DELETE FROM grants WHERE grant_id = \(id);
            INSERT INTO grant_events VALUES (\(2 * second + 1), strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+\(second) seconds'), 'revoke', \(id), 'u-ca', NULL, NULL, 'a', NULL, NULL, NULL);
            """
        }
        try withConcurrentWriter(journal: journal) { writer in
            try writer.executeScript("BEGIN;" + (1...grants).map(grant).joined() + "COMMIT;")
        } step: { writer, n in
            // Every committed state: the grants table is exactly what its log replays to.
            try writer.executeScript("BEGIN IMMEDIATE;" + grant(grants + n) + revoke(n, at: grants + n) + "COMMIT;")
        } _: { path in
            // (The window between the two readers' starts is too short for this to catch a wrong
            // choice of second connection reliably; FastEngineTests.secondThread pins that choice.)
            for _ in 0..<25 {
                let connection = try Connection(readOnlyPath: path, busyTimeoutMilliseconds: 10_000)
                let report = try DatabaseAudit.run(connection, database: "live", options: AuditOptions(now: RuleExample.now))
                #expect(report.grants == grants)
                let history = report.findings.filter { $0.rule == "history-mismatch" || $0.rule == "invalid-event" }
                #expect(history.isEmpty, "\(history.prefix(3).map(\.key))")
            }
        }
    }
}
