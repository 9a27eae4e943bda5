import Foundation

/// `--remediation-sql FILE`: reviewable SQL that would fix the findings, for a human to check and
/// apply. access-audit never runs it. The script is one transaction that ends in `ROLLBACK`, so
/// running it by accident changes nothing; a reviewer edits that to `COMMIT` on purpose.
/// Findings with no safe automatic fix (a missing approver, a history mismatch) get a comment
/// with the statement to complete by hand.
public enum RemediationSQL {
    public static func script(for report: AuditReport) -> String {
        var lines = [
            "-- access-audit remediation for \(comment(report.database)) at \(report.now)",
            "-- Generated for review. access-audit never runs this. Check every statement, then change",
            "-- the final ROLLBACK to COMMIT yourself. Waived findings are left out.",
            "BEGIN;",
        ]
        var seen = Set<String>()
        for finding in report.findings where finding.waiver?.state != .waived {
            guard let statement = statement(for: finding), seen.insert(statement.sql ?? finding.key).inserted else { continue }
            lines.append("")
            lines.append("-- [\(finding.severity.rawValue)] \(finding.rule) \(finding.key)")
            lines.append("-- \(comment(finding.message))")
            if let note = statement.note { lines.append("-- \(note)") }
            if let sql = statement.sql { lines.append(statement.manual ? "-- " + sql : sql) }
        }
        lines.append("")
        lines.append("ROLLBACK;  -- change to COMMIT after review")
        return lines.joined(separator: "\n") + "\n"
    }

    private struct Statement {
        var sql: String?
        var note: String?
        var manual = false
    }

    private static func statement(for finding: Finding) -> Statement? {
        let grant = finding.grantID.map(literal)
        let whereGrant = grant.map { "WHERE grant_id = \($0)" }
        switch finding.rule {
        case "level-exceeds-policy":
            guard let whereGrant, let max = finding.evidence["max_level"] else { return nil }
            return Statement(
                sql: "UPDATE grants SET level = \(literal(max)) \(whereGrant);",
                note: "Lower to the type's maximum (its default is \(comment(finding.evidence["default_level"] ?? "?"))), or revoke.")
        case "expired-grant", "duplicate-grant", "scope-outside-remit":
            guard let whereGrant else { return nil }
            let note = finding.rule == "scope-outside-remit" ? "Revoke, or re-scope to an organisation in the remit." : nil
            return Statement(sql: "DELETE FROM grants \(whereGrant);", note: note)
        case "inactive-account-access":
            guard let account = finding.accountID else { return nil }
            return Statement(sql: "DELETE FROM grants WHERE account_id = \(literal(account));", note: "The account is not active.")
        case "missing-approval", "self-approved":
            guard let whereGrant else { return nil }
            return Statement(
                sql: "UPDATE grants SET approved_by = '<an approver other than the grantor and holder>' \(whereGrant);",
                note: "Needs a real sign-off: fill in the approver, or revoke.", manual: true)
        case "history-mismatch":
            return Statement(note: "The grants table disagrees with grant_events: investigate before changing either.")
        default:
            return nil
        }
    }

    /// A SQL literal: integers as they are, text quoted with quotes doubled.
    static func literal(_ id: GrantID) -> String {
        if case .integer(let value) = id { return String(value) }
        return literal(id.description)
    }

    static func literal(_ text: String) -> String {
        "'" + DBText.display(text).replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\0", with: "") + "'"
    }

    /// Text safe inside a `--` comment: no line breaks.
    static func comment(_ text: String) -> String {
        Escaping.terminal(text)
    }
}
