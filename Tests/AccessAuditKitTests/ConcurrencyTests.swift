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

    @Test("Audits under a concurrent writer see one committed state", arguments: ["DELETE", "WAL"])
    func snapshot(_ journal: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("snap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("live.db").path
        let ready = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let stop = Flag()
        let failed = Flag()
        let grants = 40
        let thread = Thread {
            defer { done.signal() }
            do {
                let writer = try Connection(creatingNewFileAt: path)
                try writer.execute("PRAGMA journal_mode = \(journal)")
                try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture)
                for id in 1...grants {
                    try writer.execute(
                        "INSERT INTO grants VALUES (\(id), 'u-ca', '\(id % 2 == 0 ? "national" : "alliance")', NULL, '2026-05-01', 'a', 'b', NULL)")
                }
                ready.signal()
                var next = grants + 1
                while !stop.isSet {
                    // One insert and one delete per transaction: every committed state has `grants` rows,
                    // and exactly half of them at national level.
                    try writer.execute(
                        "BEGIN IMMEDIATE; INSERT INTO grants SELECT \(next), account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at FROM grants ORDER BY grant_id LIMIT 1; DELETE FROM grants WHERE grant_id = (SELECT min(grant_id) FROM grants); COMMIT")
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
        for _ in 0..<25 {
            let connection = try Connection(readOnlyPath: path, busyTimeoutMilliseconds: 10_000)
            let report = try DatabaseAudit.run(connection, database: "live", options: AuditOptions(now: RuleExample.now))
            #expect(report.grants == grants)
            #expect(Fixture.findings("level-exceeds-policy", in: report).count == grants / 2)
            #expect(Fixture.findings("above-default-level", in: report).count == grants / 2)
        }
    }
}
