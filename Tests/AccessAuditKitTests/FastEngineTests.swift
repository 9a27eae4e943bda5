@testable import AccessAuditKit
import Foundation
import Testing

/// The fast engine must give exactly the reference path's findings: the same keys, messages and
/// evidence, in the same order.
struct FastEngineTests {
    static func bothPaths(
        _ connection: Connection, now: Timestamp, history: FastAudit.HistoryWork = .automatic
    ) throws -> (fast: AuditReport, reference: AuditReport) {
        let options = AuditOptions(now: now)
        let fast = try DatabaseAudit.readTransaction(connection, database: "db") {
            try FastAudit.run(connection, database: "db", options: options, history: history)
        }
        let reference = try DatabaseAudit.runReference(connection, database: "db", options: options)
        return (fast, reference)
    }

    /// Every way the fast engine can run the history checks, for `connection`.
    static func historyWork(_ connection: Connection) throws -> [(String, FastAudit.HistoryWork)] {
        var ways: [(String, FastAudit.HistoryWork)] = [("inline", .inline), ("separate, one thread", .separate(sibling: nil))]
        if let sibling = try connection.sibling() {
            try sibling.execute("BEGIN DEFERRED")
            ways.append(("separate, second thread", .separate(sibling: sibling)))
        }
        return ways
    }

    @Test("Generated databases: identical findings on several seeds", arguments: [(1, false), (2, false), (3, false), (4, true)])
    func generated(_ seed: UInt64, _ clean: Bool) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fast-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try DatabaseGenerator.generate(to: path, options: .init(accounts: 4_000, seed: seed, clean: clean))
        let connection = try Connection(readOnlyPath: path)
        let ways = try Self.historyWork(connection)
        #expect(ways.count == 3, "a file database has a sibling connection")
        var reference: AuditReport?
        for (name, way) in ways {
            let (fast, expected) = try Self.bothPaths(connection, now: DatabaseGenerator.now, history: way)
            #expect(fast.findings.count == expected.findings.count, "\(name)")
            #expect(fast.findings == expected.findings, "\(name)")
            #expect(fast.accounts == expected.accounts, "\(name)")
            #expect(fast.grants == expected.grants, "\(name)")
            reference = expected
        }
        guard let reference else { return }
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
        for (name, way) in try Self.historyWork(connection) {
            let (fast, reference) = try Self.bothPaths(connection, now: RuleExample.now, history: way)
            #expect(fast.findings == reference.findings, "\(name)")
        }
    }

    @Test("The bundled sample: identical findings")
    func sample() throws {
        let connection = try AuditSource.open(Fixture.root.appendingPathComponent("samples/national-statistics.sql").path)
        let (fast, reference) = try Self.bothPaths(connection, now: Fixture.timestamp("2019-03-13T02:00:00Z"))
        #expect(fast.findings == reference.findings)
        #expect(!fast.findings.isEmpty)
    }

    @Test("A second thread only where it reads the same snapshot: a rollback-journal or immutable file, not WAL or memory")
    func secondThread() throws {
        let directory = try Fixture.temporaryDirectory("sibling")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rollback = directory.appendingPathComponent("rollback.db").path
        let wal = directory.appendingPathComponent("wal.db").path
        for (path, journal) in [(rollback, "DELETE"), (wal, "WAL")] {
            let writer = try Connection(creatingNewFileAt: path)
            try writer.execute("PRAGMA journal_mode = \(journal)")
            try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture)
        }
        func sibling(_ connection: Connection) throws -> Bool {
            try DatabaseAudit.readTransaction(connection, database: "db") {
                _ = try ContractSchema.check(connection)
                return try FastAudit.sameSnapshotSibling(connection, tuning: .init()) != nil
            }
        }
        #expect(try sibling(Connection(readOnlyPath: rollback)))
        #expect(try sibling(Connection(readOnlyPath: wal, immutable: true)))
        #expect(try !sibling(Connection(readOnlyPath: wal)))
        #expect(try !sibling(Fixture.database("", base: true)))
    }

    @Test("A writer waiting to commit (PENDING) keeps the audit on one connection rather than waiting or failing")
    func pendingWriter() throws {
        let directory = try Fixture.temporaryDirectory("pending")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("live.db").path
        let writer = try Connection(creatingNewFileAt: path)
        try writer.execute("PRAGMA journal_mode = DELETE")
        try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture)
        writer.setBusyTimeout(milliseconds: 10_000)

        let reader = try Connection(readOnlyPath: path)
        try reader.execute("BEGIN DEFERRED")
        try reader.execute("SELECT count(*) FROM grants")
        // The writer's COMMIT takes PENDING and waits for the reader's SHARED lock to go.
        let committed = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let blocked = writer
        Thread.detachNewThread {
            try? blocked.execute(
                "BEGIN IMMEDIATE; INSERT INTO grants VALUES (1, 'u-ca', 'alliance', NULL, '2026-05-01', 'a', 'b', NULL); COMMIT")
            committed.signal()
        }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(committed.wait(timeout: .now()) == .timedOut, "the writer should still be waiting")
        let start = Date()
        #expect(try FastAudit.sameSnapshotSibling(reader, tuning: .init()) == nil)
        #expect(Date().timeIntervalSince(start) < 3, "it waited for the writer instead of staying on one connection")
        try reader.execute("COMMIT")
        #expect(committed.wait(timeout: .now() + 10) == .success)
    }

    @Test("A logged grant missing from grants whose account id is not UTF-8: the account's row is found on every way")
    func leftoverWithRawAccountID() throws {
        let sql = """
            INSERT INTO accounts VALUES (X'FF41', 'raw', 'Raw Bytes', 'CA1', 'suspended', '2020-01-01', '2020-02-01');
            INSERT INTO grant_events VALUES (1, '2026-01-01', 'grant', 7, X'FF41', 'alliance', NULL, 'adm', 'boss', NULL, NULL);
            """
        let connection = try Fixture.database(sql, base: true)
        for (name, way) in try Self.historyWork(connection) {
            let (fast, reference) = try Self.bothPaths(connection, now: RuleExample.now, history: way)
            #expect(fast.findings == reference.findings, "\(name)")
            #expect(reference.findings.contains { $0.rule == "history-mismatch" })
        }
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

    @Test("Compact replay links: kept for dense and sparse ids, and carried when a sparse id moves into the dense array")
    func compactReplayLinks() {
        var replay = CompactReplay(keepsDetail: true, keepsLinks: true)
        let grant = CompactReplay.Grant(account: 1, level: 2, scope: -1, grantedBy: 3, approvedBy: -1)
        func link(_ previous: Int64?, _ next: Int64?) -> CompactReplay.Link { CompactReplay.Link(previous: previous, next: next) }
        func same(_ a: CompactReplay.Link, _ b: CompactReplay.Link) -> Bool { a.previous == b.previous && a.next == b.next }
        for (id, value) in [(5, link(nil, -3)), (-3, link(5, 1 << 40)), (1 << 40, link(-3, 3_000_000)), (3_000_000, link(1 << 40, nil))]
            as [(Int64, CompactReplay.Link)]
        {
            replay.set(id, grant)
            replay.setLink(id, value)
        }
        #expect(same(replay.link(5), link(nil, -3)))
        #expect(same(replay.link(-3), link(5, 1 << 40)))
        #expect(same(replay.link(1 << 40), link(-3, 3_000_000)))
        // 3,000,000 is sparse now; once the dense array has grown past 1,500,000 it is within
        // reach, and changing that grant moves it (and its link) into the dense array.
        replay.set(1_000_000, grant)
        replay.set(1_900_000, grant)
        replay.set(3_000_000, CompactReplay.Grant(account: 1, level: 9, scope: -1, grantedBy: 3, approvedBy: -1))
        #expect(replay.get(3_000_000)?.level == 9)
        #expect(same(replay.link(3_000_000), link(1 << 40, nil)))
        // Removed and granted again: a fresh link.
        replay.set(5, nil)
        replay.set(5, grant)
        replay.setLink(5, link(nil, nil))
        #expect(same(replay.link(5), link(nil, nil)))
        // Every Int64 is a grant id a neighbour can have, Int64.min too.
        replay.setLink(5, link(.min, .max))
        #expect(same(replay.link(5), link(.min, .max)))
    }
}

/// `replay` and `exposure` on the fast engine against their reference paths.
struct FastHistoryTests {
    static let path: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fast-history-\(UUID().uuidString).db").path
        _ = try? DatabaseGenerator.generate(to: path, options: .init(accounts: 3_000, seed: 11))
        return path
    }()

    @Test("replay --as-of: identical reports at several moments", arguments: ["2017-01-01", "2021-06-15T12:00:00Z", "2026-06-01"])
    func replay(_ asOf: String) throws {
        let connection = try Connection(readOnlyPath: Self.path)
        let at = Fixture.timestamp(asOf)
        let reference = try ReplayAudit.runReference(connection, database: "db", asOf: at)
        #expect(!reference.findings.isEmpty)
        for pipelined in [true, false] {
            let fast = try DatabaseAudit.readTransaction(connection, database: "db") {
                try FastReplay.audit(connection, database: "db", asOf: at, tuning: .init(threads: pipelined))
            }
            #expect(fast.findings == reference.findings, "pipelined \(pipelined)")
            #expect(fast.accounts == reference.accounts)
            #expect(fast.grants == reference.grants)
        }
    }

    /// (The generated history's breaches never end inside the window: `ExposureFuzzTests` has ended ones.)
    @Test("exposure: identical intervals for every rule, every field, T1 between events and at one", arguments: Exposure.rules)
    func exposure(_ rule: String) throws {
        let connection = try Connection(readOnlyPath: Self.path)
        // The middle grant event's time: an event at T1 itself decides `clipped`.
        var middle = ""
        try connection.prepare(
            "SELECT occurred_at FROM grant_events ORDER BY event_id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM grant_events)"
        ).forEachRow { middle = $0.text(0) ?? "" }
        let to = Fixture.timestamp("2026-06-01")
        for from in [Fixture.timestamp("2020-01-01"), try #require(Timestamp(middle))] {
            let reference = try Exposure.runReference(connection, database: "db", from: from, to: to, rule: rule)
            #expect(!reference.intervals.isEmpty)
            for pipelined in [true, false] {
                let fast = try DatabaseAudit.readTransaction(connection, database: "db") {
                    try FastReplay.exposure(connection, database: "db", from: from, to: to, rule: rule, tuning: .init(threads: pipelined))
                }
                #expect(fast.intervals == reference.intervals, "from \(from) pipelined \(pipelined)")
                #expect(fast.invalidEvents == reference.invalidEvents)
            }
        }
    }

    @Test("Hand-written histories: identical on both paths", arguments: Array(0..<HistoryFixtures.all.count))
    func fixtures(_ index: Int) throws {
        let fixture = HistoryFixtures.all[index]
        let connection = try Fixture.database(fixture.sql, base: true)
        for pipelined in [true, false] {
            for at in fixture.moments.map(Fixture.timestamp) {
                let fast = try DatabaseAudit.readTransaction(connection, database: "f") {
                    try FastReplay.audit(connection, database: "f", asOf: at, tuning: .init(threads: pipelined))
                }
                let reference = try ReplayAudit.runReference(connection, database: "f", asOf: at)
                #expect(fast.findings == reference.findings, "\(fixture.name) at \(at) pipelined \(pipelined)")
                #expect(fast.accounts == reference.accounts, "\(fixture.name) at \(at)")
            }
            for rule in Exposure.rules {
                let from = Fixture.timestamp(fixture.moments[0])
                let to = Fixture.timestamp(fixture.moments[fixture.moments.count - 1])
                let fast = try DatabaseAudit.readTransaction(connection, database: "f") {
                    try FastReplay.exposure(connection, database: "f", from: from, to: to, rule: rule, tuning: .init(threads: pipelined))
                }
                let reference = try Exposure.runReference(connection, database: "f", from: from, to: to, rule: rule)
                #expect(fast.intervals == reference.intervals, "\(fixture.name) \(rule) pipelined \(pipelined)")
            }
        }
    }
}

/// Small histories that exercise every clause, shared by the equivalence tests.
enum HistoryFixtures {
    typealias E = RuleExample
    static let all: [(name: String, sql: String, moments: [String])] = [
        ("incident", HistoryCommandTests.incident, ["2026-05-01", "2026-05-02T10:00:00Z", "2026-05-04", "2026-05-31"]),
        (
            "moves and statuses",
            E.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")
                + E.accountEvent(2, "2026-05-10", "move", account: "u-ca", org: "'P1'")
                + E.accountEvent(3, "2026-05-11", "status", account: "u-ca", status: "'locked'")
                + E.accountEvent(4, "2026-05-12", "create", account: "u-ca", org: "'NAT'", status: "''")
                + E.accountEvent(5, "2026-05-13", "move", account: "u-ca", org: "'GONE'"),
            ["2026-04-30", "2026-05-10", "2026-05-11", "2026-05-12", "2026-05-14"]
        ),
        (
            "event-only accounts and duplicates",
            E.accountEvent(1, "2026-05-01", "create", account: "u-new", org: "'CA1'", status: "NULL")
                + E.grantEvent(2, "2026-05-02", "grant", grant: 1, account: "u-new", level: "'national'", approvedBy: "'u-new'")
                + E.grantEvent(3, "2026-05-02", "grant", grant: 2, account: "u-never", level: "'national'")
                + E.grantEvent(4, "2026-05-03", "grant", grant: 3, account: "u-new", level: "'national'", expires: "'2026-05-04'")
                + E.accountEvent(5, "2026-05-05", "move", account: "u-ghost", org: "'P1'")
                + E.grantEvent(6, "2026-05-06", "grant", grant: 4, account: "u-ghost", level: "'organisation'", scope: "'P2'"),
            ["2026-05-01", "2026-05-03", "2026-05-05", "2026-05-07"]
        ),
        (
            "invalid events, same-instant ties and zones",
            E.grantEvent(1, "2026-05-02T10:00:00+01:00", "grant", grant: 1, account: "u-ca", level: "'national'")
                + E.grantEvent(2, "2026-05-02T09:00:00Z", "change", grant: 1, account: "u-ca", level: "'alliance'")
                + E.grantEvent(3, "2026-05-02T09:30:00Z", "change", grant: 1, account: "u-prov", level: "'national'")
                + E.grantEvent(4, "never", "revoke", grant: 1, account: "u-ca")
                + E.grantEvent(5, "2026-05-03", "revoke", grant: 7, account: "u-ca")
                + E.accountEvent(6, "2026-05-02T09:00:00Z", "move", account: "u-ca", org: "'NAT'")
                + E.grantEvent(7, "2026-05-04", "grant", grant: 1, account: "u-ca", level: "'national'")
                + E.grantEvent(8, "2026-05-05", "delete", grant: 1, account: "u-ca"),
            ["2026-05-01", "2026-05-02T09:00:00Z", "2026-05-03", "2026-05-06"]
        ),
    ]
}

/// Lookups by text, for the tests (the engine looks up bytes).
extension ByteInterner {
    func lookup(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { lookup($0) }
    }
}
