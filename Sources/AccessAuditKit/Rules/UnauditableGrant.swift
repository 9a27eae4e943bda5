/// Why a grant cannot be checked against policy, in the contract's order of checking.
package enum UnauditableReason: String, Sendable, CaseIterable {
    case unknownAccount = "unknown-account"
    case unknownOrganisation = "unknown-organisation"
    case noPolicy = "no-policy"
    case unknownLevel = "unknown-level"
}

/// `unauditable-grant`: a grant the audit cannot judge is itself a finding, never a silent skip.
package struct UnauditableGrant: Rule, RegisteredRule {
    package init() {}

    package let description = RuleDescription(
        id: "unauditable-grant", severity: .high,
        rationale: "The grant's account, organisation, policy or level is missing, so no other rule can judge it.",
        subject: "grant",
        triggeringExamples: [
            RuleExample("Unknown account", RuleExample.grant(1, "nobody", "alliance")),
            RuleExample("Account ids compare exactly", RuleExample.grant(1, "U-CA", "alliance")),
            RuleExample("Unknown organisation", "UPDATE accounts SET org_id = 'GONE' WHERE account_id = 'u-ca';" + RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample("No policy for the type", "UPDATE organisations SET org_type = 'auditor' WHERE org_id = 'CA1';" + RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample(
                "An invalid policy is no policy (plus invalid-policy)",
                "UPDATE policy SET max_level = 'galactic' WHERE org_type = 'cancer_alliance';" + RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample("Unknown level", RuleExample.grant(1, "u-ca", "Alliance")),
            RuleExample(
                "Exactly one finding, no other rule: unknown account with no approver",
                RuleExample.grant(1, "nobody", "national", scope: "'P2'", approvedBy: "NULL", expires: "'2020-01-01'")),
        ],
        nonTriggeringExamples: [
            RuleExample("A known account, organisation, policy and level", RuleExample.grant(1, "u-ca", "alliance")),
        ],
        action: { finding in
            "Repair what the grant refers to (\(finding.reason ?? "?")) so that the rules can judge it, or revoke the grant."
        })

    /// The finding for an unauditable grant. `account`, `organisation` and `policy` are what
    /// could be resolved before the check that failed.
    package func finding(
        for grant: GrantRow, reason: UnauditableReason, account: AccountRow?, organisation: Organisation?,
        policy: Policy?
    ) -> Finding {
        let detail: String
        switch reason {
        case .unknownAccount: detail = "account \(quoted(grant.accountID)) does not exist"
        case .unknownOrganisation: detail = "the account's organisation \(quoted(account?.orgID)) does not exist"
        case .noPolicy: detail = "organisation type \(quoted(organisation?.orgType)) has no valid policy"
        case .unknownLevel: detail = "level \(quoted(grant.level)) is not a valid level in access_levels"
        }
        var evidence = Evidence(["expected": "a grant the policy can judge", "found": detail])
        GrantFacts.appendEvidence(
            to: &evidence, grant: grant, account: account, organisation: organisation, policy: policy)
        return Finding(
            rule: description.id, severity: description.severity, accountID: grant.accountID,
            grantID: grant.grantID, orgID: account?.orgID,
            message: "Grant cannot be audited (\(reason.rawValue)): \(detail).",
            key: FindingKey.make(description.id, "grant", FindingKey.encode(grant.grantID)),
            reason: reason.rawValue, evidence: evidence)
    }
}

extension RuleRegistry {
    /// The rule's instance for the code that makes its findings (it is judged by no condition).
    static let unauditableGrant = UnauditableGrant()
}
