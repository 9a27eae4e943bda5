/// `dormant-account`: access nobody uses is access nobody watches.
package struct DormantAccount: AccountRule, AccountCondition {
    package init() {}

    package let description = RuleDescription(
        id: "dormant-account", severity: .low,
        rationale: "An active account with grants has not logged in (or, never having logged in, was created) too long ago.",
        subject: "account",
        triggeringExamples: [
            RuleExample("Last login six months ago", RuleExample.grant(1, "u-old", "organisation")),
            RuleExample(
                "Never logged in: created_at counts",
                "UPDATE accounts SET created_at = '2025-06-01' WHERE account_id = 'u-sup';" + RuleExample.grant(1, "u-sup", "organisation")),
            RuleExample(
                "A blank last login is NULL: created_at counts",
                "UPDATE accounts SET last_login_at = ' ', created_at = '2025-06-01' WHERE account_id = 'u-prov';"
                    + RuleExample.grant(1, "u-prov", "organisation")),
            RuleExample(
                "One second over 90 days",
                "UPDATE accounts SET last_login_at = '2026-03-02T23:59:59Z' WHERE account_id = 'u-prov';"
                    + RuleExample.grant(1, "u-prov", "organisation")),
        ],
        nonTriggeringExamples: [
            RuleExample("Dormant but holds no grant", ""),
            RuleExample("Recent login", RuleExample.grant(1, "u-prov", "organisation")),
            RuleExample(
                "Exactly 90 days is not earlier than the cut-off",
                "UPDATE accounts SET last_login_at = '2026-03-03T00:00:00Z' WHERE account_id = 'u-prov';"
                    + RuleExample.grant(1, "u-prov", "organisation")),
            RuleExample(
                "An invalid last login does not fall back to created_at",
                "UPDATE accounts SET last_login_at = 'yesterday' WHERE account_id = 'u-old';" + RuleExample.grant(1, "u-old", "organisation")),
            RuleExample(
                "An inactive account is inactive-account-access instead",
                "UPDATE accounts SET status = 'locked' WHERE account_id = 'u-old';" + RuleExample.grant(1, "u-old", "organisation")),
        ],
        action: { _ in
            "Ask the holder whether the account is still needed; if not, suspend it and revoke its grants."
        })

    /// The condition, on every engine.
    @inline(__always)
    static func holds<F: AccountFactsView>(account: F) -> Bool {
        account.current && account.active && account.auditableGrants > 0 && account.idleSinceCutoff
    }

    package func check(_ account: AccountFacts, into findings: inout [Finding]) {
        let record = account.account
        let options = account.options
        guard Self.holds(account: account), let last = record.lastActivity else { return }
        let what = Blank.isBlank(record.row.lastLoginAt) ? "Never logged in; created" : "Last login"
        let days = (options.now.seconds - last.seconds) / 86_400
        findings.append(
            account.finding(
                description,
                message: "\(what) \(last), \(days) days before \(options.now), and the account still holds "
                    + "\(record.auditableGrants) grant\(record.auditableGrants == 1 ? "" : "s") "
                    + "(limit: \(options.dormantDays) days).",
                expected: "activity since \(options.dormantCutoff)", found: "\(last)"))
    }
}
