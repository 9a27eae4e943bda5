@testable import AccessAuditKit
import Foundation
import Testing

/// Seeded differential fuzzing: random databases built from a hostile vocabulary, with no
/// constraint holding, must give identical results on the fast engine and the reference path,
/// and never crash. A failing seed is a test case: add it to `regressions`.
struct DifferentialFuzzTests {
    /// Values as SQL literals: ordinary ids, case and whitespace variants, blanks, NULL, an
    /// integer, invalid UTF-8, a NUL byte, an ANSI escape, and canonically equivalent pairs that
    /// are different ids (NFC and NFD `é`, KELVIN SIGN and `K`).
    static let ids = [
        "'a1'", "'a2'", "'a3'", "'A1'", "' a1'", "''", "' '", "NULL", "42", "CAST(x'61ff' AS TEXT)", "'a' || char(0) || '1'",
        "'a:1'", "'%N'", "'caf' || char(233)", "'cafe' || char(769)",
    ]
    static let orgs = [
        "'P1'", "'P2'", "'CA1'", "'NAT'", "'GONE'", "NULL", "''", "'p1'", "'N' || char(233)", "'Ne' || char(769)", "'T1'",
        "CAST(x'50ff' AS TEXT)",
    ]
    static let levels = [
        "'organisation'", "'alliance'", "'national'", "'superuser'", "NULL", "'Alliance'", "10", "'na' || char(239) || 've'",
        "'nai' || char(776) || 've'",
    ]
    static let people = [
        "'kim'", "'KIM '", "'lee'", "NULL", "''", "'a1'", "'user-a1'", "' \t'", "char(8490) || 'im'", "'caf' || char(233)",
        "'cafe' || char(769)",
    ]
    static let times = [
        "'2026-01-01'", "'2026-03-01T10:00:00Z'", "'2026-03-01 11:00+01:00'", "'2026-05-31T23:59:59.5Z'", "'2026-06-01'",
        "'2026-07-01T00:00:00-02:00'", "'2026-02-30'", "'yesterday'", "''", "NULL", "20260101", "'2025-12-01T10:00'",
    ]
    /// Grant ids for one seed in six: Int64.min and .max (once sentinels), negative and zero, and
    /// sparse ids mixed with dense ones. (A sparse id the dense array grows past needs a million
    /// dense slots per run: `FastReadTests.sparseBelowDense` has that shape.) Events take the first six.
    static let hostileGrantIDs = [
        "1048576", "-9223372036854775808", "3", "9223372036854775807", "4611686018427387904", "-1", "0", "2",
    ]
    /// One seed in three has an ordinary covering index on accounts (SQLite then answers a select
    /// of those columns in index order, of all the columns in rowid order).
    static let coveringIndex =
        "CREATE INDEX accounts_cover ON accounts(account_id, username, org_id, status, created_at, last_login_at);\n"
    static let statuses = ["'active'", "' Active '", "'locked'", "NULL", "''", "'left'"]
    static let actions = ["'grant'", "'grant'", "'grant'", "'change'", "'change'", "'revoke'", "'revoke'", "'Grant'", "'move'"]
    static let accountActions = ["'create'", "'move'", "'status'", "'delete'"]

    static func database(seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        func pick(_ values: [String]) -> String { values[Int(random.int(0...Int64(values.count - 1)))] }
        var sql = """
            INSERT INTO access_levels VALUES ('organisation', 10, NULL), ('alliance', 20, NULL), ('national', 30, NULL),
              ('half', 15.5, NULL), ('alliance', 99, 'duplicate'), ('na' || char(239) || 've', 5, NULL), ('nai' || char(776) || 've', 40, NULL);
            INSERT INTO policy VALUES ('provider', 'organisation', 'organisation', 0), ('cancer_alliance', 'organisation', 'alliance', 1),
              ('national_producer', 'alliance', 'national', '0'), ('broken', 'national', 'alliance', 1), ('provider', 'organisation', 'alliance', 1);
            INSERT INTO organisations VALUES ('P1', 'Provider', 'provider', NULL), ('P2', 'Other', 'provider', NULL),
              ('CA1', 'Alliance', 'cancer_alliance', NULL), ('NAT', 'National', 'national_producer', NULL), ('BAD', 'Broken', 'broken', NULL),
              ('P1', 'Duplicate', 'cancer_alliance', NULL), ('N' || char(233), 'NFC', 'cancer_alliance', NULL),
              ('Ne' || char(769), 'NFD', 't' || char(233), NULL), ('T1', 'NFD type', 'te' || char(769), NULL),
              (CAST(x'50ff' AS TEXT), 'Not UTF-8', 'provider', NULL);
            INSERT INTO policy VALUES ('t' || char(233), 'organisation', 'national', 0);
            INSERT INTO org_remit VALUES ('CA1', 'P1'), ('CA1', NULL), ('NAT', 'P2'), ('CA1', 'N' || char(233));

            """
        for _ in 0..<Int(random.int(2...9)) {
            sql += "INSERT INTO accounts VALUES (\(pick(ids)), \(pick(people)), 'Name', \(pick(orgs)), \(pick(statuses)), \(pick(times)), \(pick(times)));\n"
        }
        let hostileIDs = seed % 6 == 0
        func grantID(_ range: ClosedRange<Int64>) -> String {
            hostileIDs ? Self.hostileGrantIDs[Int(random.int(range) - 1)] : String(random.int(range))
        }
        for _ in 0..<Int(random.int(0...14)) {
            let id = random.chance(0.1) ? "NULL" : grantID(1...8)
            sql += "INSERT INTO grants VALUES (\(id), \(pick(ids)), \(pick(levels)), \(pick(orgs)), \(pick(times)), \(pick(people)), \(pick(people)), \(pick(times)));\n"
        }
        if random.chance(0.8) {
            for event in 0..<Int(random.int(0...16)) {
                if random.chance(0.3) {
                    sql += "INSERT INTO account_events VALUES (\(event + 1), \(pick(times)), \(pick(accountActions)), \(pick(ids)), \(pick(orgs)), \(pick(statuses)), \(pick(people)), NULL);\n"
                } else {
                    sql += "INSERT INTO grant_events VALUES (\(event + 1), \(pick(times)), \(pick(actions)), \(grantID(1...6)), \(pick(ids)), \(pick(levels)), \(pick(orgs)), \(pick(people)), \(pick(people)), \(pick(times)), NULL);\n"
                }
            }
        }
        if seed % 3 == 1 { sql += Self.coveringIndex }
        return sql
    }

    /// Exposure windows: one between the vocabulary's times, and one whose T1 and T2 are times
    /// events happen at (an event at T1 decides `clipped`; a breach begun at T2 is [T2, T2]).
    static let windows = [("2026-01-15", "2026-06-15"), ("2026-03-01T10:00:00Z", "2026-06-01")].map {
        (Fixture.timestamp($0.0), Fixture.timestamp($0.1))
    }

    static let regressions: [UInt64] = []
    static let seeds: [UInt64] = regressions + Array(1...300)

    @Test("audit: fast engine and reference path agree on random hostile databases", arguments: seeds)
    func audit(_ seed: UInt64) throws {
        let connection = try Fixture.database(Self.database(seed: seed))
        let options = AuditOptions(now: Fixture.timestamp("2026-04-01T00:00:00Z"))
        let reference = try DatabaseAudit.runReference(connection, database: "db", options: options)
        let expected = EveryEngine.outcome { reference }
        // Both ways of running the history checks (the second thread's way, here on one thread).
        for way: FastAudit.HistoryWork in [.inline, .separate(sibling: nil)] {
            let fast = Self.fast {
                try DatabaseAudit.readTransaction(connection, database: "db") {
                    try FastAudit.run(connection, database: "db", options: options, history: way)
                }
            }
            // The fast engine may decline (non-integer grant ids); then the reference path is what
            // runs. Anything else, an error included, must be the reference path's outcome.
            if let fast {
                #expect(EveryEngine.outcome { try fast.get() } == expected, "seed \(seed) \(way)")
                if case .success(let report) = fast { #expect(report.findings == reference.findings, "seed \(seed) \(way)") }
            }
        }
        // Nothing is lost: every grant row is either unauditable or counted as auditable.
        var rows = 0
        try connection.prepare("SELECT count(*) FROM grants").forEachRow { rows = Int($0.int64(0)) }
        #expect(reference.grants == rows)
    }

    @Test("replay and exposure: fast and reference agree", arguments: seeds)
    func history(_ seed: UInt64) throws {
        let connection = try Fixture.database(Self.database(seed: seed))
        var events = 0
        try connection.prepare("SELECT (SELECT count(*) FROM grant_events) + (SELECT count(*) FROM account_events)").forEachRow {
            events = Int($0.int64(0))
        }
        guard events > 0 else { return }
        // Both with SQLite read on a second thread (the default) and on this one.
        for pipelined in [true, false] {
            for asOf in ["2026-02-15", "2026-06-01"].map(Fixture.timestamp) {
                let expected = EveryEngine.outcome { try ReplayAudit.runReference(connection, database: "db", asOf: asOf) }
                if let fast = Self.fast({
                    try DatabaseAudit.readTransaction(connection, database: "db") {
                        try FastReplay.audit(connection, database: "db", asOf: asOf, tuning: .init(threads: pipelined))
                    }
                }) {
                    #expect(EveryEngine.outcome { try fast.get() } == expected, "seed \(seed) replay \(asOf) pipelined \(pipelined)")
                }
            }
            for rule in Exposure.rules {
                for (from, to) in Self.windows {
                    let reference = Result { try Exposure.runReference(connection, database: "db", from: from, to: to, rule: rule) }
                    if let fast = Self.fast({
                        try DatabaseAudit.readTransaction(connection, database: "db") {
                            try FastReplay.exposure(connection, database: "db", from: from, to: to, rule: rule, tuning: .init(threads: pipelined))
                        }
                    }) {
                        // Byte for byte, errors included; and every field (clipped, ended_by and the rest).
                        #expect(
                            Self.outcome { try fast.get() } == Self.outcome { try reference.get() },
                            "seed \(seed) exposure \(rule) \(from) pipelined \(pipelined)")
                        if case .success(let fast) = fast, case .success(let reference) = reference {
                            #expect(fast.intervals == reference.intervals, "seed \(seed) exposure \(rule) \(from) pipelined \(pipelined)")
                        }
                    }
                }
            }
        }
    }
}

extension DifferentialFuzzTests {
    /// A fast engine's result or error; nil only when it declined (`FastAudit.Unsupported`), the
    /// one case in which the reference path is what runs.
    static func fast<T>(_ body: () throws -> T) -> Result<T, any Error>? {
        do {
            return .success(try body())
        } catch is FastAudit.Unsupported {
            return nil
        } catch {
            return .failure(error)
        }
    }

    /// An exposure's intervals and invalid-event count byte for byte, or its error.
    static func outcome(_ body: () throws -> ExposureReport) -> String {
        do {
            let report = try body()
            return "\(report.invalidEvents) invalid\n" + report.intervals.map {
                EveryEngine.describe($0) + " \(EveryEngine.bytes($0.username)) \(EveryEngine.bytes($0.grantedBy)) "
                    + "\(EveryEngine.bytes($0.approvedBy)) \(EveryEngine.bytes($0.endedBy)) \(EveryEngine.bytes($0.endedByAction))"
            }.joined(separator: "\n")
        } catch {
            return "error: \(error)"
        }
    }

    @Test("The fuzz is not vacuous: the fast path runs on most seeds and many rules fire")
    func coverage() throws {
        var fastRuns = 0
        var rules: Set<String> = []
        var historyRuns = 0
        for seed in Self.seeds {
            let connection = try Fixture.database(Self.database(seed: seed))
            let options = AuditOptions(now: Fixture.timestamp("2026-04-01T00:00:00Z"))
            if let fast = try? DatabaseAudit.readTransaction(connection, database: "db", { try FastAudit.run(connection, database: "db", options: options) }) {
                fastRuns += 1
                rules.formUnion(fast.findings.map(\.rule))
            }
            if (try? DatabaseAudit.readTransaction(connection, database: "db", {
                try FastReplay.audit(connection, database: "db", asOf: Fixture.timestamp("2026-06-01"))
            })) != nil {
                historyRuns += 1
            }
        }
        #expect(fastRuns > Self.seeds.count / 4, "fast path ran on \(fastRuns) seeds")
        #expect(historyRuns > Self.seeds.count / 4, "fast replay ran on \(historyRuns) seeds")
        #expect(rules.count >= 11, "rules seen: \(rules.sorted())")
        print("fuzz coverage: fast audit on \(fastRuns)/\(Self.seeds.count) seeds, fast replay on \(historyRuns), rules \(rules.sorted())")
    }
}
