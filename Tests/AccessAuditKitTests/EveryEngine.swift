@testable import AccessAuditKit
import Foundation
import Testing

/// Runs one database through every engine of every command (regex-automata's pattern: one test
/// suite, every engine): `audit` on the reference path and on the fast engine (both ways of its
/// history checks), `replay --as-of` and `exposure` on the reference path and on the fast engine
/// (SQLite read pipelined or not). Nothing is skipped: an engine that declines or fails fails the
/// test, and errors are compared like results.
enum EveryEngine {
    /// `audit` by every engine, named.
    static func audits(_ connection: Connection, now: Timestamp) throws -> [(String, AuditReport)] {
        let options = AuditOptions(now: now)
        var runs = [("audit reference", try DatabaseAudit.runReference(connection, database: "db", options: options))]
        for (name, way) in [("inline", FastAudit.HistoryWork.inline), ("separate", .separate(sibling: nil))] {
            runs.append(("audit fast \(name)", try DatabaseAudit.readTransaction(connection, database: "db") {
                try FastAudit.run(connection, database: "db", options: options, history: way)
            }))
        }
        return runs
    }

    /// `replay --as-of` by every engine, named.
    static func replays(_ connection: Connection, asOf: Timestamp) throws -> [(String, AuditReport)] {
        var runs = [("replay reference", try ReplayAudit.runReference(connection, database: "db", asOf: asOf))]
        for pipelined in [false, true] {
            runs.append(("replay fast pipelined \(pipelined)", try DatabaseAudit.readTransaction(connection, database: "db") {
                try FastReplay.audit(connection, database: "db", asOf: asOf, tuning: .init(threads: pipelined))
            }))
        }
        return runs
    }

    /// `exposure` of `rule` by every engine, named.
    static func exposures(
        _ connection: Connection, from: Timestamp, to: Timestamp, rule: String
    ) throws -> [(String, ExposureReport)] {
        var runs = [("exposure reference", try Exposure.runReference(connection, database: "db", from: from, to: to, rule: rule))]
        for pipelined in [false, true] {
            runs.append(("exposure fast pipelined \(pipelined)", try DatabaseAudit.readTransaction(connection, database: "db") {
                try FastReplay.exposure(connection, database: "db", from: from, to: to, rule: rule, tuning: .init(threads: pipelined))
            }))
        }
        return runs
    }

    /// What a run gave, for comparing engines: the findings' keys and messages byte for byte, or
    /// the error's words.
    static func outcome(_ body: () throws -> AuditReport) -> String {
        do {
            let report = try body()
            return "\(report.accounts) accounts, \(report.grants) grants\n"
                + report.findings.map { "\($0.key) \(bytes($0.message))" }.joined(separator: "\n")
        } catch {
            return "error: \(error)"
        }
    }

    /// `text` with every non-ASCII byte as `%XX`, so canonically equivalent texts differ.
    static func bytes(_ text: String?) -> String {
        guard let text else { return "NULL" }
        return text.utf8.map { $0 < 0x80 ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }

    /// An interval as text, byte for byte.
    static func describe(_ interval: ExposureInterval) -> String {
        "\(interval.grantID) \(bytes(interval.accountID)) \(bytes(interval.orgID)) \(bytes(interval.level)) "
            + "\(interval.start)-\(interval.end) ongoing \(interval.ongoing) clipped \(interval.clipped)"
    }

    /// Why the final tables of `connection` cannot be expressed as history, or nil when they can:
    /// a replayed grant's granted_at is its event's time, so it must be a valid instant no later
    /// than `now`, and each grant needs an integer id of its own.
    static func notExpressible(_ connection: Connection, now: Timestamp) throws -> String? {
        var why: String?
        try connection.prepare("SELECT count(*) FROM grant_events").forEachRow { if $0.int64(0) > 0 { why = "has grant_events" } }
        try connection.prepare("SELECT count(*) FROM account_events").forEachRow { if $0.int64(0) > 0 { why = "has account_events" } }
        try connection.prepare("SELECT count(*) - count(DISTINCT grant_id), sum(typeof(grant_id) != 'integer') FROM grants").forEachRow {
            if $0.int64(0) > 0 || $0.int64(1) > 0 { why = "grant ids repeated or not integers" }
        }
        try connection.prepare("SELECT CAST(granted_at AS TEXT) FROM grants").forEachRow { row in
            guard let instant = row.text(0).flatMap(Timestamp.init), instant <= now else {
                why = "granted_at \(row.text(0) ?? "NULL") is not a valid instant by now"
                return
            }
        }
        return why
    }

    /// Writes the history of the final tables: each account (first row of its id) moved to its
    /// organisation and given its status at the epoch, each grant granted at its granted_at with
    /// its values, copied by SQLite so that types and bytes are exactly the table's.
    static func addHistory(_ connection: Connection) throws {
        try connection.executeScript("""
            INSERT INTO account_events(event_id, occurred_at, action, account_id, org_id, status, actor, note)
              SELECT 2 * rowid - 1, '1970-01-01T00:00:00Z', 'move', account_id, org_id, NULL, 'history', NULL
              FROM accounts a WHERE account_id IS NOT NULL AND rowid = (SELECT min(rowid) FROM accounts b WHERE b.account_id = a.account_id);
            INSERT INTO account_events(event_id, occurred_at, action, account_id, org_id, status, actor, note)
              SELECT 2 * rowid, '1970-01-01T00:00:00Z', 'status', account_id, NULL, status, 'history', NULL
              FROM accounts a WHERE account_id IS NOT NULL AND rowid = (SELECT min(rowid) FROM accounts b WHERE b.account_id = a.account_id);
            INSERT INTO grant_events(event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, approved_by, expires_at, note)
              SELECT grant_id, granted_at, 'grant', grant_id, account_id, level, scope_org_id, granted_by, approved_by, expires_at, NULL
              FROM grants;
            """)
    }
}

extension EveryEngine {
    /// `sql` (on the rule examples' base fixture) must give exactly `count` findings of `rule` on
    /// every `audit` engine, all engines agreeing byte for byte; then, expressed as history (when it
    /// can be, `notExpressible`): the same findings of `rule` again on every `audit` engine with no
    /// `history-mismatch`, on every `replay --as-of now` engine (none for the rules replay does not
    /// run), and for an exposure rule, an ongoing interval for exactly the grants it finds, on
    /// every `exposure` engine. Returns why the history part was skipped, or nil.
    @discardableResult
    static func check(
        _ sql: String, rule: String, count: Int, now: Timestamp = RuleExample.now,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String? {
        let connection = try Fixture.database(sql, base: true)
        let audits = try audits(connection, now: now)
        expectAgree(audits, sourceLocation: sourceLocation)
        let found = audits[0].1.findings.filter { $0.rule == rule }
        #expect(found.count == count, "audit: \(found.map(\.key))", sourceLocation: sourceLocation)
        if let why = try notExpressible(connection, now: now) { return why }

        try addHistory(connection)
        let keys = found.map(\.key)
        let logged = try self.audits(connection, now: now)
        expectAgree(logged, sourceLocation: sourceLocation)
        let loggedFindings = logged[0].1.findings
        #expect(loggedFindings.filter { $0.rule == rule }.map(\.key) == keys, "audit with history", sourceLocation: sourceLocation)
        #expect(!loggedFindings.contains { $0.rule == "history-mismatch" }, "\(loggedFindings.map(\.key))", sourceLocation: sourceLocation)

        let replays = try replays(connection, asOf: now)
        expectAgree(replays, sourceLocation: sourceLocation)
        // Replay runs neither `history-mismatch` nor `dormant-account`, and of `invalid-timestamp`
        // only the grants' expires_at (CONTRACT.md §4).
        let replayed = ReplayAudit.notChecked.contains { $0.rule == rule }
            ? [] : found.filter { rule != "invalid-timestamp" || $0.column == "expires_at" }.map(\.key)
        #expect(
            replays[0].1.findings.filter { $0.rule == rule }.map(\.key) == replayed,
            "replay: \(replays[0].1.findings.map(\.key))", sourceLocation: sourceLocation)

        guard Exposure.rules.contains(rule) else { return nil }
        let runs = try exposures(connection, from: Fixture.timestamp("1970-01-01"), to: now, rule: rule)
        let intervals = runs.map { ($0.0, $0.1.intervals.map(describe)) }
        for (name, described) in intervals.dropFirst() {
            #expect(described == intervals[0].1, "\(name) against \(intervals[0].0)", sourceLocation: sourceLocation)
        }
        let exposed = runs[0].1.intervals
        #expect(exposed.map(\.grantID) == found.compactMap(\.grantID), "exposure: \(intervals[0].1)", sourceLocation: sourceLocation)
        #expect(exposed.allSatisfy { $0.ongoing && $0.end == now }, "\(intervals[0].1)", sourceLocation: sourceLocation)
        return nil
    }

    /// Every run's outcome equals the first's, byte for byte.
    static func expectAgree(_ runs: [(String, AuditReport)], sourceLocation: SourceLocation = #_sourceLocation) {
        let outcomes = runs.map { run in (run.0, outcome { run.1 }) }
        for (name, text) in outcomes.dropFirst() {
            #expect(text == outcomes[0].1, "\(name) against \(outcomes[0].0)", sourceLocation: sourceLocation)
        }
    }
}
