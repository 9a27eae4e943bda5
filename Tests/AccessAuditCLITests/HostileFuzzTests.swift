import AccessAuditKit
import Foundation
import Testing

/// A bounded fuzz of hostile inputs through the CLI binary (docs/SECURITY.md, "Inputs"): random
/// databases and `.sql` dumps with views, huge values, invalid bytes, NUL bytes, errors at row N,
/// runaway recursive queries and statements that try to write. For every run: exit 0, 1 or 2
/// only, no signal, within its time limit, peak memory under `peakBound`, the audited file
/// byte-identical and nothing created beside it or where a statement aimed.
struct HostileFuzzTests {
    /// The documented bound on one run's peak resident memory (docs/SECURITY.md).
    static let peakBound = 256 << 20
    static let runs = 40
    /// `--timeout` of each run, and the wall-clock limit a run must finish in (slack for 2 busy cores).
    static let timeout = 1
    static let wallLimit = 25.0

    /// One random cell value, as SQL.
    static func value(_ random: inout SplitMix64, huge: Bool) -> String {
        switch random.int(0...11) {
        case 0: return "NULL"
        case 1: return "CAST(x'\(["ff", "fe", "c0af", "eda080", "00", "f4908080"][Int(random.int(0...5))])' AS TEXT)"
        case 2: return "'a' || char(0) || 'b'"
        case 3: return huge ? "zeroblob(999999999)" : "zeroblob(10)"
        case 4: return huge ? "randomblob(2000000)" : "randomblob(16)"
        case 5: return String(random.int(-9_000_000_000_000_000_000...9_000_000_000_000_000_000))
        case 6: return "1e308 * 10"
        case 7: return "'\u{202E}=1+1'"
        case 8: return "'2026-02-30'"
        case 9: return "x'\(String(repeating: "ab", count: Int(random.int(0...40))))'"
        default: return ["'u-ca'", "'national'", "'CA1'", "'active'", "'2026-05-01'"][Int(random.int(0...4))]
        }
    }

    /// A view standing in for `table`: rows of random values, maybe failing at row N, maybe
    /// never ending, maybe returning a value no limit allows.
    static func view(_ table: ContractSchema.Table, _ random: inout SplitMix64) -> String {
        let rows = Int(random.int(1...6))
        let failing = Int(random.int(1...Int64(rows)))
        let mode = random.int(0...5)
        let source: String
        if mode == 0 {
            source = "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n FROM c WHERE n < 0)"
        } else {
            source = "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < \(rows)) SELECT n FROM c)"
        }
        let columns = table.columns.enumerated().map { index, column -> String in
            var cell = value(&random, huge: mode == 1 && index == 1)
            if index == 0 { cell = "n" }
            if mode == 2, index == 1 { cell = "CASE WHEN n = \(failing) THEN json_extract('{', '$') ELSE \(cell) END" }
            if mode == 3, index == 1 { cell = "CASE WHEN n = \(failing) THEN abs(-9223372036854775807 - 1) ELSE \(cell) END" }
            return "\(cell) AS \(column)"
        }
        return "DROP TABLE \(table.name);\nCREATE VIEW \(table.name) AS SELECT \(columns.joined(separator: ", ")) FROM \(source);\n"
    }

    /// The bytes of a hostile script on top of the schema and the base fixture.
    static func script(_ random: inout SplitMix64, forText: Bool, aim: String) -> [UInt8] {
        var bytes = Array((ContractSchema.unconstrainedSQL + RuleExample.baseFixture + "\n").utf8)
        for index in 0..<Int(random.int(0...6)) {
            let account = random.chance(0.5) ? "'u-ca'" : value(&random, huge: false)
            let level = random.chance(0.5) ? "'national'" : value(&random, huge: false)
            bytes += Array("INSERT INTO grants VALUES (\(index + 1), \(account), \(level), NULL, '2026-05-01', 'a', \(value(&random, huge: false)), NULL);\n".utf8)
            let occurred = random.chance(0.8) ? "'2026-05-01'" : value(&random, huge: false)
            bytes += Array("INSERT INTO grant_events VALUES (\(index + 1), \(occurred), 'grant', \(index + 1), \(account), \(level), NULL, 'a', 'b', NULL, \(value(&random, huge: false)));\n".utf8)
        }
        if forText, random.chance(0.3) {
            // Raw bytes a decoder would change.
            bytes += Array("INSERT INTO accounts VALUES ('g".utf8) + [0xFF, 0xFE] + Array("', 'g', NULL, 'CA1', 'active', '2026-01-01', NULL);\n".utf8)
        }
        if random.chance(0.1) {
            bytes += Array("INSERT INTO accounts VALUES ('big', printf('%.*c', 1500000, 'x'), zeroblob(2000000), 'CA1', 'active', '2026-01-01', NULL);\n".utf8)
        }
        for table in ContractSchema.tables where table.name == "accounts" || table.name == "grants" || table.name == "grant_events" {
            if random.chance(0.35) { bytes += Array(view(table, &random).utf8) }
        }
        if forText {
            // What only a dump loader can refuse.
            if random.chance(0.1) { bytes += [0] + Array("\n".utf8) }
            if random.chance(0.1) { bytes += Array("ATTACH DATABASE '\(aim)' AS p;\nCREATE TABLE p.t(x);\n".utf8) }
            if random.chance(0.1) { bytes += Array("VACUUM INTO '\(aim)';\n".utf8) }
            if random.chance(0.05) { bytes += Array("SELECT count(*) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n FROM c);\n".utf8) }
        }
        return bytes
    }

    @Test("Hostile databases and .sql dumps: exit 0/1/2, no signal, in time, memory bounded, nothing written")
    func fuzz() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var random = SplitMix64(seed: 0xACCE55)
        var worst = MeasuredRun()
        var statuses: [Int32: Int] = [:]
        for run in 0..<Self.runs {
            let aim = directory.appendingPathComponent("aim-\(run).db").path
            let forText = run % 2 == 0
            let bytes = Self.script(&random, forText: forText, aim: aim)
            let path = directory.appendingPathComponent(forText ? "case-\(run).sql" : "case-\(run).db").path
            if forText {
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            } else {
                let writer = try Connection(creatingNewFileAt: path)
                try writer.loadUntrustedScript(bytes, temporaryObjects: false)
            }
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let listing = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            let command: [String] =
                switch run % 4 {
                case 0, 1: ["audit", path, "--now", "2026-06-01T00:00:00Z", "--format", "json"]
                case 2: ["replay", path, "--as-of", "2026-06-01T00:00:00Z", "--format", "json"]
                default: ["timeline", path, "--account", "u-ca"]
                }
            let result = try MeasuredRun.run(command + ["--timeout", String(Self.timeout), "--quiet"], in: directory, timeout: Self.wallLimit, peakBound: Self.peakBound)
            let what = "run \(run) (\(command[0]) \(forText ? ".sql" : "db")): \(String(decoding: result.stderr, as: UTF8.self))"
            #expect(result.signal == nil, "\(what): signal \(result.signal ?? 0)")
            #expect(!result.timedOut, "\(what): over \(Self.wallLimit) s")
            #expect([0, 1, 2].contains(result.status), "\(what): status \(result.status)")
            #expect(result.peakBytes < Self.peakBound, "\(what): peak \(result.peakBytes >> 20) MiB")
            if result.status == 2 {
                #expect(result.stdout.isEmpty, "\(what): partial report")
                #expect(String(decoding: result.stderr, as: UTF8.self).split(separator: "\n").count == 1, "\(what)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "\(what): the input changed")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == listing, "\(what): a file appeared")
            #expect(!FileManager.default.fileExists(atPath: aim), "\(what): wrote \(aim)")
            statuses[result.status, default: 0] += 1
            worst.peakBytes = max(worst.peakBytes, result.peakBytes)
            worst.ownPeakBytes = max(worst.ownPeakBytes, result.ownPeakBytes)
            if result.seconds > worst.seconds { worst.seconds = result.seconds }
        }
        // Not all refusals: the fuzz must also reach the rules.
        #expect(statuses[0, default: 0] + statuses[1, default: 0] >= Self.runs / 4, "\(statuses)")
        print("hostile fuzz: \(Self.runs) runs, exit statuses \(statuses.sorted { $0.key < $1.key }), worst own peak \(worst.ownPeakBytes >> 20) MiB (ru_maxrss, counting this process: \(worst.peakBytes >> 20) MiB), slowest \(String(format: "%.1f", worst.seconds)) s")
    }
}
