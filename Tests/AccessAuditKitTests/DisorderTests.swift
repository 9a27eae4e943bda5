@testable import AccessAuditKit
import Foundation
import Testing

/// `generate --disorder`: logs out of `event_id` order with mixed timestamp forms describe the same
/// history, so every command finds the same things on both engines; and the history sort
/// (`EventSort`) gives the same results in memory and spilled to its temporary file.
struct DisorderTests {
    static let accounts = 2_500

    static func generated(_ disorder: Double, seed: UInt64 = 5) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("disorder-\(disorder)-\(UUID().uuidString).db").path
        _ = try? DatabaseGenerator.generate(to: path, options: .init(accounts: accounts, seed: seed, disorder: disorder))
        return path
    }

    static let inOrder = generated(0)
    static let shuffled = generated(1)
    static let partly = generated(0.05)

    /// A tuning that spills after a few hundred rows (many runs in the temporary file).
    static let tiny = AuditOptions.Tuning(threads: false, sortMemory: 16 << 10)
    static let tinyPipelined = AuditOptions.Tuning(threads: true, sortMemory: 16 << 10)

    /// What a disorder may change, taken out: an invalid event's `event_id` (in its key and
    /// message too) and the text form of the times it quotes (compared as instants).
    static func normalized(_ findings: [Finding]) -> [String] {
        findings.map { finding in
            var items = finding.evidence.items.map { item in
                "\(item.label)=\(Timestamp(item.value).map { "\($0.seconds).\($0.fraction)" } ?? item.value)"
            }
            items.sort()
            let eventFree = finding.rule == "invalid-event"
            return [
                finding.rule, finding.severity.rawValue, finding.accountID ?? "-", finding.grantID?.description ?? "-",
                finding.orgID ?? "-", eventFree ? "-" : finding.key, eventFree ? "-" : finding.message,
                finding.reason ?? "-", finding.column ?? "-", finding.table ?? "-", eventFree ? "-" : finding.eventID?.description ?? "-",
                items.joined(separator: ","),
            ].joined(separator: "|")
        }.sorted()
    }

    @Test("The generator's disorder: out of event_id order, mixed valid forms, the same history")
    func generatorDisorder() throws {
        let ordered = try Connection(readOnlyPath: Self.inOrder), mixed = try Connection(readOnlyPath: Self.shuffled)
        func count(_ connection: Connection, _ sql: String) throws -> Int64 {
            var value: Int64 = -1
            try connection.prepare(sql).forEachRow { value = $0.int64(0) }
            return value
        }
        for table in ["grant_events", "account_events"] {
            #expect(try count(ordered, "SELECT count(*) FROM \(table)") == count(mixed, "SELECT count(*) FROM \(table)"))
            // A later event_id with an earlier time: back-dated imports.
            let backDated = "SELECT count(*) FROM \(table) a JOIN \(table) b ON b.event_id = a.event_id + 1 WHERE b.occurred_at < a.occurred_at"
            #expect(try count(ordered, backDated) == 0)
            #expect(try count(mixed, backDated) > 100)
            let forms = "SELECT count(DISTINCT length(occurred_at) || substr(occurred_at, 11, 1)) FROM \(table)"
            #expect(try count(ordered, forms) == 1)
            #expect(try count(mixed, forms) >= 4)
            // Every form is valid: no event becomes invalid by its time.
            var invalid = 0
            try mixed.prepare("SELECT occurred_at FROM \(table)").forEachRow { if Timestamp($0.text(0) ?? "") == nil { invalid += 1 } }
            #expect(invalid == 0)
        }
    }

    @Test("The same seed in order and shuffled: the same audit findings, both engines")
    func audit() throws {
        var reports: [[String]] = []
        for path in [Self.inOrder, Self.shuffled, Self.partly] {
            let connection = try Connection(readOnlyPath: path)
            let options = AuditOptions(now: DatabaseGenerator.now)
            let reference = try DatabaseAudit.runReference(connection, database: "db", options: options)
            for tuning in [AuditOptions.Tuning(), AuditOptions.Tuning(threads: false), Self.tiny] {
                var tuned = options
                tuned.tuning = tuning
                let fast = try DatabaseAudit.run(connection, database: "db", options: tuned)
                #expect(fast.findings == reference.findings, "\(path) \(tuning.sortMemory) \(tuning.threads)")
            }
            reports.append(Self.normalized(reference.findings))
        }
        #expect(!reports[0].isEmpty)
        #expect(reports[0] == reports[1])
        #expect(reports[0] == reports[2])
    }

    @Test("The same seed in order and shuffled: the same replay findings, both engines", arguments: ["2019-03-01", "2026-06-01"])
    func replay(_ asOf: String) throws {
        let at = Fixture.timestamp(asOf)
        var reports: [[String]] = []
        for path in [Self.inOrder, Self.shuffled] {
            let connection = try Connection(readOnlyPath: path)
            let reference = try ReplayAudit.runReference(connection, database: "db", asOf: at)
            for tuning in [AuditOptions.Tuning(), AuditOptions.Tuning(threads: false), Self.tiny, Self.tinyPipelined] {
                let fast = try ReplayAudit.run(connection, database: "db", asOf: at, tuning: tuning)
                #expect(fast.findings == reference.findings, "\(tuning.sortMemory) \(tuning.threads)")
                #expect(fast.accounts == reference.accounts && fast.grants == reference.grants)
            }
            reports.append(Self.normalized(reference.findings))
        }
        #expect(!reports[0].isEmpty)
        #expect(reports[0] == reports[1])
    }

    @Test("The same seed in order and shuffled: the same exposure intervals, both engines", arguments: Exposure.rules)
    func exposure(_ rule: String) throws {
        let from = Fixture.timestamp("2018-01-01"), to = DatabaseGenerator.now
        var results: [[ExposureInterval]] = []
        for path in [Self.inOrder, Self.shuffled] {
            let connection = try Connection(readOnlyPath: path)
            let reference = try Exposure.runReference(connection, database: "db", from: from, to: to, rule: rule)
            for tuning in [AuditOptions.Tuning(), AuditOptions.Tuning(threads: false), Self.tiny, Self.tinyPipelined] {
                let fast = try Exposure.run(connection, database: "db", from: from, to: to, rule: rule, tuning: tuning)
                #expect(fast.intervals == reference.intervals, "\(tuning.sortMemory) \(tuning.threads)")
                #expect(fast.invalidEvents == reference.invalidEvents)
            }
            results.append(reference.intervals)
        }
        #expect(!results[0].isEmpty || rule == "self-approved")
        #expect(results[0] == results[1])
    }
}
