/// `history-mismatch`: the grants table disagrees with its own append-only log. A grant changed
/// outside the process is exactly what a nightly audit should shout about.
package struct HistoryMismatch: Rule, RegisteredRule {
    package init() {}

    package let description = RuleDescription(
        id: "history-mismatch", severity: .high,
        rationale: "Replaying grant_events does not give the grants table: a grant was changed outside the logged process.",
        subject: "grant_id",
        triggeringExamples: [
            RuleExample("A grant with no event", RuleExample.loggedGrant + RuleExample.grant(2, "u-prov", "organisation")),
            RuleExample(
                "A level raised in the table only",
                RuleExample.grant(1, "u-ca", "national") + RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")),
            RuleExample(
                "Revoked in the log, still in the table",
                RuleExample.loggedGrant + RuleExample.grantEvent(2, "2026-05-02", "revoke", grant: 1, account: "u-ca")),
            RuleExample(
                "In the log, missing from the table",
                RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")),
            RuleExample(
                "An approver added in the table only",
                RuleExample.grant(1, "u-ca", "alliance", approvedBy: "'approver.two'")
                    + RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'", approvedBy: "NULL")),
            RuleExample(
                "granted_by compares exactly (case)",
                RuleExample.grant(1, "u-ca", "alliance", by: "'Admin.One'")
                    + RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")),
            RuleExample(
                "An unauditable grant is still compared",
                RuleExample.grant(1, "ghost", "alliance") + RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")),
        ],
        nonTriggeringExamples: [
            RuleExample("Table and log agree", RuleExample.loggedGrant),
            RuleExample("No grant_events rows: not checked", RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample(
                "A logged change and a re-grant after a revoke",
                RuleExample.grant(1, "u-ca", "organisation", approvedBy: "'approver.three'")
                    + RuleExample.grantEvent(1, "2026-04-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")
                    + RuleExample.grantEvent(2, "2026-04-02", "revoke", grant: 1, account: "u-ca")
                    + RuleExample.grantEvent(3, "2026-04-03", "grant", grant: 1, account: "u-ca", level: "'alliance'")
                    + RuleExample.grantEvent(
                        4, "2026-04-04", "change", grant: 1, account: "u-ca", level: "'organisation'", approvedBy: "'approver.three'")),
            RuleExample(
                "Blank and NULL are the same",
                RuleExample.grant(1, "u-ca", "alliance", scope: "' '", approvedBy: "NULL")
                    + RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'", scope: "NULL", approvedBy: "''")),
            RuleExample(
                "granted_at and expires_at are not compared",
                RuleExample.grant(1, "u-ca", "alliance", grantedAt: "'2020-01-01'", expires: "'2030-01-01'")
                    + RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")),
            RuleExample(
                "An invalid event is skipped, not replayed",
                RuleExample.loggedGrant + RuleExample.grantEvent(2, "2026-13-01", "revoke", grant: 1, account: "u-ca")),
        ],
        action: { _ in
            "Find out who changed the grant outside the logged process before changing grants or grant_events (the remediation script changes neither)."
        })

    /// The finding for one grant_id. `table` is the grants row (nil when only the log has it),
    /// `replayed` the log's final state (nil when only the table has it).
    package func finding(table: GrantRow?, replayed: GrantRow?, account: AccountRow?) -> Finding? {
        let id = table?.grantID ?? replayed?.grantID ?? .null
        var differences: [String] = []
        switch (table, replayed) {
        case (nil, nil):
            return nil
        case (.some, nil):
            differences.append("grant \(id) is in the grants table but not in the replayed grant_events")
        case (nil, .some):
            differences.append("grant \(id) is in the replayed grant_events but not in the grants table")
        case (.some(let table), .some(let replayed)):
            let fields: [(String, String?, String?)] = [
                ("account_id", table.accountID, replayed.accountID), ("level", table.level, replayed.level),
                ("scope_org_id", table.scopeOrgID, replayed.scopeOrgID), ("granted_by", table.grantedBy, replayed.grantedBy),
                ("approved_by", table.approvedBy, replayed.approvedBy),
            ]
            for (name, inTable, inLog) in fields where !ExactText.equal(Blank.nonBlank(inTable), Blank.nonBlank(inLog)) {
                differences.append("\(name) is \(quoted(inTable)) in grants but \(quoted(inLog)) in the log")
            }
        }
        guard !differences.isEmpty else { return nil }
        var evidence = Evidence([
            "expected": "the grants row the log replays to",
            "found": differences.joined(separator: "; "),
        ])
        evidence.append("username", account?.username)
        evidence.append("display_name", account?.displayName)
        if let table {
            evidence.append("level", table.level)
            evidence.append("granted_by", table.grantedBy)
            evidence.append("approved_by", table.approvedBy)
        }
        if let replayed {
            evidence.append("log_level", replayed.level)
            evidence.append("log_granted_by", replayed.grantedBy)
            evidence.append("log_approved_by", replayed.approvedBy)
        }
        let shown = table ?? replayed
        return Finding(
            rule: description.id, severity: description.severity, accountID: shown?.accountID, grantID: id,
            orgID: account?.orgID, message: "History mismatch: " + differences.joined(separator: "; ") + ".",
            key: FindingKey.make(description.id, "grant", FindingKey.encode(id)), evidence: evidence)
    }
}

extension RuleRegistry {
    /// The rule's instance for the code that makes its findings (it is judged by no condition).
    static let historyMismatch = HistoryMismatch()
}
