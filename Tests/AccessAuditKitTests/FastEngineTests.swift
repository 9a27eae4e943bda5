@testable import AccessAuditKit
import Foundation
import Testing

/// The fast engine must give exactly the reference path's findings: the same keys, messages and
/// evidence, in the same order.
struct FastEngineTests {
    static func bothPaths(_ connection: Connection, now: Timestamp) throws -> (fast: AuditReport, reference: AuditReport) {
        let options = AuditOptions(now: now)
        let fast = try DatabaseAudit.readTransaction(connection, database: "db") {
            try FastAudit.run(connection, database: "db", options: options)
        }
        let reference = try DatabaseAudit.runReference(connection, database: "db", options: options)
        return (fast, reference)
    }

    @Test("Generated databases: identical findings on several seeds", arguments: [(1, false), (2, false), (3, false), (4, true)])
    func generated(_ seed: UInt64, _ clean: Bool) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fast-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try DatabaseGenerator.generate(to: path, options: .init(accounts: 4_000, seed: seed, clean: clean))
        let (fast, reference) = try Self.bothPaths(Connection(readOnlyPath: path), now: DatabaseGenerator.now)
        #expect(fast.findings.count == reference.findings.count)
        #expect(fast.findings == reference.findings)
        #expect(fast.accounts == reference.accounts)
        #expect(fast.grants == reference.grants)
        if clean {
            #expect(reference.findings.isEmpty, "\(reference.findings.prefix(3).map(\.key))")
        } else {
            // Every rule fires somewhere on a generated database with problems.
            let fired = Set(reference.findings.map(\.rule))
            #expect(fired == Set(RuleRegistry.ids), "missing: \(Set(RuleRegistry.ids).subtracting(fired))")
        }
    }

    @Test("Every rule example: identical findings", arguments: RuleExampleTests.triggering + RuleExampleTests.nonTriggering)
    func examples(_ testCase: RuleExampleTests.Case) throws {
        let connection = try Fixture.database(testCase.example.sql, base: true)
        let (fast, reference) = try Self.bothPaths(connection, now: RuleExample.now)
        #expect(fast.findings == reference.findings)
    }

    @Test("The bundled sample: identical findings")
    func sample() throws {
        let connection = try AuditSource.open(Fixture.root.appendingPathComponent("samples/national-statistics.sql").path)
        let (fast, reference) = try Self.bothPaths(connection, now: Fixture.timestamp("2019-03-13T02:00:00Z"))
        #expect(fast.findings == reference.findings)
        #expect(!fast.findings.isEmpty)
    }

    @Test("Non-integer grant ids fall back to the reference path")
    func fallback() throws {
        let sql = "INSERT INTO grants VALUES ('g-1', 'u-ca', 'national', NULL, '2026-01-01', 'a', 'b', NULL);"
        let connection = try Fixture.database(sql, base: true)
        #expect(throws: FastAudit.Unsupported.self) {
            try FastAudit.run(connection, database: "db", options: AuditOptions(now: RuleExample.now))
        }
        let report = try DatabaseAudit.run(connection, database: "db", options: AuditOptions(now: RuleExample.now))
        #expect(report.findings.map(\.rule) == ["level-exceeds-policy"])
    }

    @Test("Interner: ids are dense and stable; lookups never intern")
    func interner() {
        var interner = ByteInterner(capacity: 1)
        var ids: [Int32] = []
        for index in 0..<5_000 { ids.append(interner.intern("id-\(index)")) }
        #expect(ids == (0..<5_000).map(Int32.init))
        #expect(interner.intern("id-42") == 42)
        #expect(interner.lookup("id-4999") == 4_999)
        #expect(interner.lookup("nope") == nil)
        #expect(interner.count == 5_000)
        #expect(interner.string(7) == "id-7")
        #expect(interner.intern("") == 5_000)
    }

    @Test("Compact replay: dense and sparse ids behave alike")
    func compactReplay() {
        var replay = CompactReplay()
        let grant = CompactReplay.Grant(account: 1, level: 2, scope: -1, grantedBy: 3, approvedBy: -1)
        for id: Int64 in [5, 1 << 40, -3, 2_000_000] { replay.set(id, grant) }
        #expect(replay.get(5)?.level == 2)
        #expect(replay.get(1 << 40)?.account == 1)
        #expect(replay.get(-3) != nil)
        #expect(replay.get(6) == nil)
        #expect(replay.take(5) != nil)
        #expect(replay.get(5) == nil)
        #expect(replay.remaining().map(\.0) == [-3, 2_000_000, 1 << 40])
    }
}
