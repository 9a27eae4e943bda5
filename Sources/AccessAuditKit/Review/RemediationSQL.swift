import Foundation

/// `--remediation-sql FILE`: reviewable SQL that would fix the findings, for a human to check and
/// apply. access-audit never runs it. The script is one transaction that ends in `ROLLBACK`, so
/// running it by accident changes nothing; a reviewer edits that to `COMMIT` on purpose.
/// Findings with no safe automatic fix (a missing approver, a history mismatch) get a comment
/// with the statement to complete by hand.
///
/// Every database value is a byte-exact literal and every comment is unbreakable
/// (`RemediationSQL+Literals.swift`). When `grant_events` has rows (so the next audit checks
/// `history-mismatch`), each change to `grants` is also logged there as the administrator would
/// have logged it (CONTRACT.md §4: a `change` after an update, a `revoke` before a delete), by
/// `actor`, at the moment the script is applied, with a note citing the finding's key; so
/// re-auditing the applied database shows the fixed findings gone and no new ones.
public enum RemediationSQL {
    public static func script(for report: AuditReport, actor: String) -> String {
        let log = EventLog(report: report, actor: actor)
        var lines = [
            "-- access-audit remediation for \(comment(report.database)) at \(report.now)",
            "-- Generated for review. access-audit never runs this. Check every statement, then change",
            "-- the final ROLLBACK to COMMIT yourself, and apply it with `sqlite3 -bail DB < FILE`",
            "-- so that a failed statement stops the script. Waived findings are left out. A fix for one",
            "-- grant changes nothing unless its grant_id names exactly one row of grants.",
            "-- " + log.summary,
            "BEGIN;",
        ]
        var seen = Set<String>()
        for finding in report.findings where finding.waiver?.state != .waived {
            guard let fix = fix(for: finding, log: log), seen.insert(fix.sql.first ?? finding.key).inserted else { continue }
            lines.append("")
            lines.append("-- [\(finding.severity.rawValue)] \(comment(finding.rule)) \(comment(finding.key))")
            lines.append("-- \(comment(finding.message))")
            for note in fix.notes { lines.append("-- \(note)") }
            for sql in fix.sql { lines.append(fix.manual ? "-- " + sql : sql) }
        }
        lines.append("")
        lines.append("ROLLBACK;  -- change to COMMIT after review")
        if lines.contains(where: { $0.contains("CAST(X'") }), let begin = lines.firstIndex(of: "BEGIN;") {
            lines.insert(contentsOf: encodingGuard, at: begin + 1)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `CAST(X'…' AS TEXT)` names UTF-8 bytes: in a UTF-16 database it would name other text.
    /// The script stops there (an error, so `sqlite3 -bail` ends it) unless the database is UTF-8.
    static let encodingGuard = [
        "-- Stops with 'integer overflow' unless the database is UTF-8: the CAST(X'...' AS TEXT) literals below are UTF-8 bytes.",
        "SELECT CASE WHEN (SELECT encoding FROM pragma_encoding) <> 'UTF-8' THEN abs(-9223372036854775807 - 1) END;",
    ]

    private struct Fix {
        var sql: [String] = []
        var notes: [String] = []
        var manual = false
    }

    private static func fix(for finding: Finding, log: EventLog) -> Fix? {
        let whereGrant = finding.grantID.flatMap(singleGrantCondition)
        let id = finding.grantID ?? .null
        switch finding.rule {
        case "level-exceeds-policy":
            guard let whereGrant, let max = finding.evidence["max_level"] else { return nil }
            var fix = Fix(
                sql: ["UPDATE grants NOT INDEXED SET level = \(literal(max)) WHERE \(whereGrant);"],
                notes: ["Lower to the type's maximum (its default is \(comment(finding.evidence["default_level"] ?? "?"))), or revoke."])
            log.record(.change, grant: id, where: whereGrant, key: finding.key, into: &fix)
            return fix
        case "expired-grant", "duplicate-grant", "scope-outside-remit":
            guard let whereGrant else { return nil }
            var fix = Fix(notes: finding.rule == "scope-outside-remit" ? ["Revoke, or re-scope to an organisation in the remit."] : [])
            log.record(.revoke, grant: id, where: whereGrant, key: finding.key, into: &fix)
            fix.sql.append("DELETE FROM grants NOT INDEXED WHERE \(whereGrant);")
            return fix
        case "inactive-account-access":
            guard let account = finding.accountID else { return nil }
            let whereAccount = accountCondition(account)
            var fix = Fix(notes: ["The account is not active."])
            log.recordRevokes(account: account, where: whereAccount, key: finding.key, into: &fix)
            fix.sql.append("DELETE FROM grants NOT INDEXED WHERE \(whereAccount);")
            return fix
        case "missing-approval", "self-approved":
            guard let whereGrant else { return nil }
            return Fix(
                sql: ["UPDATE grants NOT INDEXED SET approved_by = '<an approver other than the grantor and holder>' WHERE \(whereGrant);"],
                notes: ["Needs a real sign-off: fill in the approver, or revoke."], manual: true)
        case "history-mismatch":
            return Fix(notes: ["The grants table disagrees with grant_events: investigate before changing either."])
        default:
            return nil
        }
    }

    /// How the script logs its changes in `grant_events`, decided once per report.
    private struct EventLog {
        enum Action: String { case change, revoke }

        /// Log at all: only when `grant_events` has rows. Into an empty or absent log, a first
        /// event would make the next audit check `history-mismatch` on every unlogged grant.
        let enabled: Bool
        let summary: String
        let actor: String
        /// Grants whose log already disagrees with the table: an event would either be invalid
        /// or hide the disagreement, so their changes are left for a person to log.
        let mismatched: [GrantID: String?]

        init(report: AuditReport, actor: String) {
            self.actor = actor
            enabled = report.history?.grantEvents == true
            switch report.history {
            case .some(let logs) where logs.grantEvents:
                summary = "Each change is logged in grant_events as actor \(comment(actor)), at the time the script is applied."
            case .some:
                summary = "grant_events is absent or has no rows: changes are not logged (a first event would start history checks)."
            case .none:
                summary = "The history tables were not read: changes are not logged."
            }
            var mismatched: [GrantID: String?] = [:]
            for finding in report.findings where finding.rule == "history-mismatch" {
                if let id = finding.grantID { mismatched[id] = finding.accountID }
            }
            self.mismatched = mismatched
        }

        func record(_ action: Action, grant: GrantID, where condition: String, key: String, into fix: inout Fix) {
            guard enabled else { return }
            guard mismatched[grant] == nil else {
                fix.notes.append("Not logged: grant_events already disagrees with grants for this grant (history-mismatch).")
                return
            }
            fix.sql.append(insert(action, where: condition, key: key))
        }

        /// Revokes for every grant of an account, except those whose log already disagrees.
        func recordRevokes(account: String, where condition: String, key: String, into fix: inout Fix) {
            guard enabled else { return }
            let skipped = mismatched.filter { $0.value == account }.keys.sorted()
            var condition = condition
            for id in skipped {
                guard let named = grantCondition(id) else { continue }
                condition += " AND NOT (\(named))"
            }
            if !skipped.isEmpty {
                fix.notes.append(
                    "Not logged for grant \(skipped.map { comment($0.description) }.joined(separator: ", ")): "
                        + "grant_events already disagrees with grants (history-mismatch).")
            }
            fix.sql.append(insert(.revoke, where: condition, key: key))
        }

        /// `INSERT … SELECT` from the grants rows themselves, so the event carries exactly their
        /// ids and values; event ids continue from the largest integer one.
        private func insert(_ action: Action, where condition: String, key: String) -> String {
            let values =
                action == .change
                ? "grant_id, account_id, level, scope_org_id, \(literal(actor)), approved_by, expires_at"
                : "grant_id, account_id, NULL, NULL, \(literal(actor)), NULL, NULL"
            return """
                INSERT INTO grant_events (event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, approved_by, expires_at, note)
                  SELECT (SELECT COALESCE(MAX(event_id), 0) FROM grant_events NOT INDEXED WHERE typeof(event_id) = 'integer') + ROW_NUMBER() OVER (ORDER BY grant_id COLLATE BINARY),
                    strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), '\(action.rawValue)', \(values),
                    \(literal("access-audit remediation of " + key))
                  FROM grants NOT INDEXED WHERE \(condition);
                """
        }
    }
}
