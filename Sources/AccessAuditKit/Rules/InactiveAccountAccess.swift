/// `inactive-account-access`: a disabled or departed account that can still see data.
package struct InactiveAccountAccess: AccountRule, AccountCondition {
    package init() {}

    package let description = RuleDescription(
        id: "inactive-account-access", severity: .medium,
        rationale: "The account is not active but still holds at least one auditable grant.",
        subject: "account",
        triggeringExamples: [
            RuleExample("A disabled account with a grant", RuleExample.grant(1, "u-gone", "organisation")),
            RuleExample(
                "One finding per account, however many grants",
                RuleExample.grant(1, "u-gone", "organisation") + RuleExample.grant(2, "u-gone", "organisation", scope: "'P1'")),
            RuleExample(
                "A NULL status is inactive",
                "UPDATE accounts SET status = NULL WHERE account_id = 'u-prov';" + RuleExample.grant(1, "u-prov", "organisation")),
            RuleExample(
                "'activated' is not 'active'",
                "UPDATE accounts SET status = 'activated' WHERE account_id = 'u-prov';" + RuleExample.grant(1, "u-prov", "organisation")),
        ],
        nonTriggeringExamples: [
            RuleExample("A disabled account without grants", ""),
            RuleExample(
                "Status is trimmed and compared ignoring ASCII case",
                "UPDATE accounts SET status = ' ACTIVE\n' WHERE account_id = 'u-prov';" + RuleExample.grant(1, "u-prov", "organisation")),
            RuleExample(
                "Only unauditable grants do not count",
                "UPDATE accounts SET org_id = 'GONE' WHERE account_id = 'u-gone';" + RuleExample.grant(1, "u-gone", "organisation")),
        ],
        action: { finding in
            "Revoke the account's grants (what the remediation script does), or reactivate the account if status "
                + "\(quoted(finding.evidence["account_status"])) is wrong."
        })

    /// The condition, on every engine.
    @inline(__always)
    static func holds<F: AccountFactsView>(account: F) -> Bool {
        !account.active && account.auditableGrants > 0
    }

    package func check(_ account: AccountFacts, into findings: inout [Finding]) {
        guard Self.holds(account: account) else { return }
        let count = account.account.auditableGrants
        findings.append(
            account.finding(
                description,
                message: "Account status is \(quoted(account.account.row.status)) but it still holds "
                    + "\(count) auditable grant\(count == 1 ? "" : "s").",
                expected: "no grants on an inactive account",
                found: "\(count) grant\(count == 1 ? "" : "s")"))
    }
}
