/// `missing-approval`: the breach report asks for sign-off on every account allocation.
package struct MissingApproval: GrantRule, GrantCondition {
    package init() {}

    package let description = RuleDescription(
        id: "missing-approval", severity: .high,
        rationale: "The organisation type requires an approver and the grant has none.",
        subject: "grant",
        triggeringExamples: [
            RuleExample("NULL approver", RuleExample.grant(1, "u-ca", "alliance", approvedBy: "NULL")),
            RuleExample("At the default level, nothing else wrong", RuleExample.grant(1, "u-ca", "organisation", approvedBy: "NULL")),
            RuleExample("Whitespace-only approver", RuleExample.grant(1, "u-ca", "alliance", approvedBy: "' \r\n\t'")),
            RuleExample(
                "requires_approval stored as text '0' still requires approval",
                "UPDATE policy SET requires_approval = '0' WHERE org_type = 'cancer_alliance';"
                    + RuleExample.grant(1, "u-ca", "alliance", approvedBy: "''")),
            RuleExample(
                "requires_approval NULL requires approval",
                "UPDATE policy SET requires_approval = NULL WHERE org_type = 'cancer_alliance';"
                    + RuleExample.grant(1, "u-ca", "alliance", approvedBy: "NULL")),
        ],
        nonTriggeringExamples: [
            RuleExample("Approved", RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample(
                "Approval waived by the integer 0",
                RuleExample.grant(1, "u-sup", "organisation", approvedBy: "NULL")),
        ],
        action: { finding in
            "Record an approver other than the grantor \(quoted(finding.evidence["granted_by"])) and the holder, or revoke the grant."
        })

    /// `exposure` follows it over time, fourth in its list of state rules (CONTRACT.md §4).
    static let exposureOrder: Int? = 3

    /// The condition, on every engine.
    @inline(__always)
    static func holds<F: GrantFactsView>(_ grant: F) -> Bool {
        grant.requiresApproval && grant.approver == .blank
    }

    package func check(_ grant: GrantFacts, into findings: inout [Finding]) {
        guard Self.holds(grant) else { return }
        findings.append(
            grant.finding(
                description,
                message: "Grant of \(quoted(grant.grant.level)) has no approver, but organisation type "
                    + "\(quoted(grant.policy.orgType)) requires approval.",
                expected: "an approver (approved_by)",
                found: grant.grant.approvedBy == nil ? "NULL" : "blank"))
    }
}
