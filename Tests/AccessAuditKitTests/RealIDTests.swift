@testable import AccessAuditKit
import Testing

/// A REAL id is its text (CONTRACT.md §2, `CAST(x AS TEXT)`): a log that granted grant REAL `1.0`
/// and changed TEXT `'1.0'` changed one grant. Found attacking the next build: `GrantID` kept a
/// REAL and a text apart, so the `change` was an `invalid-event` (medium) and replay and exposure
/// passed a grant raised to national.
struct RealIDTests {
    /// `TextIntegerIDTests.history` with grant 1 as REAL 1.0 and its log's text ids as '1.0'.
    static let history = TextIntegerIDTests.history
        .replacingOccurrences(of: "VALUES (1, ", with: "VALUES (1.0, ")
        .replacingOccurrences(of: "'grant', 1, ", with: "'grant', 1.0, ")
        .replacingOccurrences(of: "'1'", with: "'1.0'")

    /// Every engine's result, or that it declined (`FastAudit.Unsupported`: the command falls back
    /// to the reference path, which must then give the answer).
    static func declinedOr<T>(_ body: () throws -> T) throws -> T? {
        do { return try body() } catch is FastAudit.Unsupported { return nil }
    }

    @Test("replay and exposure apply a change logged for grant '1.0' (text or blob) to REAL grant 1.0, on every engine")
    func historyByText() throws {
        let connection = try Fixture.database(Self.history, base: true)
        let asOf = Fixture.timestamp("2026-05-15")
        let replay = try ReplayAudit.run(connection, database: "db", asOf: asOf)
        #expect(replay.findings.map(\.key).contains("level-exceeds-policy:grant:%R1.0"), "\(replay.findings.map(\.key))")
        #expect(!replay.findings.contains { $0.rule == "invalid-event" })
        let reference = try ReplayAudit.runReference(connection, database: "db", asOf: asOf)
        #expect(reference.findings.map(\.key) == replay.findings.map(\.key))
        for pipelined in [false, true] {
            let fast = try Self.declinedOr {
                try DatabaseAudit.readTransaction(connection, database: "db") {
                    try FastReplay.audit(connection, database: "db", asOf: asOf, tuning: .init(threads: pipelined))
                }
            }
            #expect(fast.map { $0.findings.map(\.key) } ?? replay.findings.map(\.key) == replay.findings.map(\.key))
        }
        let from = Fixture.timestamp("2026-05-01")
        let to = Fixture.timestamp("2026-06-01")
        let exposure = try Exposure.run(connection, database: "db", from: from, to: to, rule: "level-exceeds-policy")
        let expected = ["1.0 2026-05-10T00:00:00Z 2026-05-20T00:00:00Z"]
        #expect(exposure.intervals.map { "\($0.grantID) \($0.start) \($0.end)" } == expected)
        let exposureReference = try Exposure.runReference(connection, database: "db", from: from, to: to, rule: "level-exceeds-policy")
        #expect(exposureReference.intervals.map { "\($0.grantID) \($0.start) \($0.end)" } == expected)
    }

    @Test("The audit compares grants row REAL 1.0 with the log of '1.0': one grant, no history-mismatch, on every engine")
    func auditByText() throws {
        let connection = try Fixture.database(Self.history, base: true)
        let options = AuditOptions(now: RuleExample.now)
        let report = try DatabaseAudit.run(connection, database: "db", options: options)
        #expect(!report.findings.contains { $0.rule == "history-mismatch" || $0.rule == "invalid-event" }, "\(report.findings.map(\.key))")
        let reference = try DatabaseAudit.runReference(connection, database: "db", options: options)
        #expect(reference.findings.map(\.key) == report.findings.map(\.key))
        for way in [FastAudit.HistoryWork.inline, .separate(sibling: nil)] {
            let fast = try Self.declinedOr {
                try DatabaseAudit.readTransaction(connection, database: "db") {
                    try FastAudit.run(connection, database: "db", options: options, history: way)
                }
            }
            #expect(fast.map { $0.findings.map(\.key) } ?? report.findings.map(\.key) == report.findings.map(\.key))
        }
        for other in ["'1'", "'1.00'", "'1.0 '", "'1e0'"] {
            let changed = try Fixture.database(Self.history.replacingOccurrences(of: "'change', '1.0'", with: "'change', \(other)"), base: true)
            let audit = try DatabaseAudit.run(changed, database: "db", options: options)
            #expect(audit.findings.contains { $0.rule == "invalid-event" }, "\(other) is not grant 1.0")
        }
    }

    @Test("Reals of one text are one id; a text that is a REAL's text is that REAL; ordering stays numeric")
    func identity() throws {
        let connection = try Fixture.database("", base: false)
        var ids: [GrantID] = []
        try connection.prepare("SELECT 0.1, 0.1 + 1e-17, '0.1', 2.0, '10.0', 1, 1.0, 'Inf', 9e999, '1.0e+20', 1e20, '01.0'").forEachRow { row in
            ids = (0..<12).map { DatabaseAudit.grantID(row, Int32($0)) }
        }
        #expect(ids[0] == ids[1] && ids[1] == ids[2], "CAST gives '0.1' for each")
        #expect(Set(ids[0...2]).count == 1)
        #expect(FindingKey.encode(ids[1]) == FindingKey.encode(ids[2]))
        #expect(!(ids[0] < ids[1]) && !(ids[1] < ids[0]))
        #expect(ids[3] < ids[4], "2.0 before '10.0', by value")
        #expect(ids[5] != ids[6] && ids[5] < ids[6], "1 and 1.0 are other ids; the integer first")
        #expect(ids[7] == ids[8], "'Inf' is CAST(9e999 AS TEXT)")
        #expect(ids[9] == ids[10])
        #expect(ids[11] == .text("01.0"), "not what a REAL's CAST gives")
        #expect(ids.dropLast().allSatisfy { $0 < .text("") }, "numbers before text")
    }
}

extension RealIDTests {
    /// Texts near a number's: what `GrantID(text:)` (the engines) and `TableOrder.canonicalID` (the
    /// sort of the logs) must class alike, or equal ids sort apart.
    static let nearNumbers = [
        "1", "01", "+1", "-7", "1 ", " 1", "1.0", "1.00", "1e0", "1.0e+20", "1.0E+20", "1.0e+20 ", "Inf", "-Inf", "inf",
        "+Inf", "Infinity", "NaN", "0.0", "-0.0", "0.1", "100000.0", "1e5", "9223372036854775807", "9223372036854775808",
        "9.22337203685478e+18", "-9.99988867182683e-321", "0x10", "1_0", "", "é",
    ]

    @Test("TableOrder.canonicalID classes every text as GrantID(text:) does, under BINARY, NOCASE and RTRIM columns")
    func canonicalIDAgrees() throws {
        for collation in ["BINARY", "NOCASE", "RTRIM"] {
            let connection = try Fixture.database("CREATE TABLE t (x TEXT COLLATE \(collation));", base: false)
            let insert = try connection.prepare("INSERT INTO t VALUES (?1)")
            for text in Self.nearNumbers {
                try insert.bind(text, at: 1)
                try insert.run()
            }
            var seen = 0
            try connection.prepare("SELECT CAST(x AS TEXT), typeof(c), CAST(c AS TEXT) FROM (SELECT x, \(TableOrder.canonicalID("x")) AS c FROM t)")
                .forEachRow { row in
                    seen += 1
                    let text = row.text(0) ?? ""
                    let sorted = (row.text(1) ?? "", row.text(2) ?? "")
                    switch GrantID(text: text) {
                    case .integer(let value): #expect(sorted == ("integer", String(value)), "\(collation) '\(text)'")
                    case .real(_, let real): #expect(sorted == ("real", real), "\(collation) '\(text)'")
                    case .text: #expect(sorted == ("text", text), "\(collation) '\(text)'")
                    case .null: Issue.record("'\(text)' read as NULL")
                    }
                }
            #expect(seen == Self.nearNumbers.count)
        }
    }
}

extension RealIDTests {
    @Test("investigate --grant 1.0 (and its account) sees the change logged under '1.0' and the revoke under X'312E30'")
    func investigateByText() throws {
        let events = InvestigateIDTests.textIDs
            .replacingOccurrences(of: "'grant', 1, ", with: "'grant', 1.0, ")
            .replacingOccurrences(of: "'change', '1'", with: "'change', '1.0'")
            .replacingOccurrences(of: "X'31'", with: "X'312E30'")
        #expect(events != InvestigateIDTests.textIDs)
        #expect(InvestigationSubject.grant(argument: "1.0") == .grant(.real(1, text: "1.0")))
        for subject in [InvestigationSubject.grant(argument: "1.0"), .account("u-ca")] {
            let report = try InvestigateTests.investigate(events, subject)
            let breaches = report.intervals.filter { $0.interval.rule == "level-exceeds-policy" }
            #expect(InvestigateTests.spans(breaches) == ["level-exceeds-policy 1.0 2026-05-02T10:00:00Z 2026-05-05T12:00:00Z"], "\(subject)")
        }
        #expect(throws: AuditError.self) { try InvestigateTests.investigate(events, .grant(argument: "1.00")) }
    }

    @Test("Remediation names a REAL grant by its text in every storage class: REAL 1.0 with TEXT '1.0' is one repeated id, left; a lone REAL is fixed")
    func remediation() throws {
        let grants = """
            INSERT INTO grants VALUES
              (1.0, 'u-prov', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', '2026-05-15'),
              ('1.0', 'u-ca', 'alliance', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
              (2.5, 'u-nat', 'alliance', NULL, '2026-05-01', 'admin.one', 'approver.two', '2026-05-15'),
              ('2.50', 'u-sup', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', '2026-05-15');
            """
        let result = try RemediationIDTests.apply(ContractSchema.unconstrainedSQL + RuleExample.baseFixture + grants)
        let expired = result.report.findings.filter { $0.rule == "expired-grant" }.map { $0.grantID?.description ?? "" }
        #expect(expired.sorted() == ["1.0", "2.5", "2.50"])
        // 1.0 names two rows: left alone. 2.5 (a lone REAL) is gone; '2.50' is a text id of its own, gone too.
        #expect(result.left == ["real:1.0 u-prov organisation", "text:1.0 u-ca alliance"])
    }
}
