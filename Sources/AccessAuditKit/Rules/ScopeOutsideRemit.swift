/// `scope-outside-remit`: a grant scoped to an organisation the account's organisation is not
/// accountable for.
package struct ScopeOutsideRemit: GrantRule, GrantCondition {
    package init() {}

    package let description = RuleDescription(
        id: "scope-outside-remit", severity: .high,
        rationale: "The grant is scoped to an organisation outside the account organisation's remit.",
        subject: "grant",
        triggeringExamples: [
            RuleExample("An alliance scoped to a provider it does not cover", RuleExample.grant(1, "u-ca", "alliance", scope: "'P2'")),
            RuleExample("A scope to an organisation that does not exist", RuleExample.grant(1, "u-ca", "alliance", scope: "'NOPE'")),
            RuleExample("Ids compare exactly: trailing space", RuleExample.grant(1, "u-ca", "alliance", scope: "'P1 '")),
            RuleExample("Ids compare exactly: case", RuleExample.grant(1, "u-ca", "alliance", scope: "'p1'")),
            RuleExample("Remit is not symmetric", RuleExample.grant(1, "u-prov", "organisation", scope: "'CA1'")),
        ],
        nonTriggeringExamples: [
            RuleExample("No scope", RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample("A blank scope means no scope", RuleExample.grant(1, "u-ca", "alliance", scope: "' \t'")),
            RuleExample("Scoped to the own organisation", RuleExample.grant(1, "u-ca", "alliance", scope: "'CA1'")),
            RuleExample("Scoped to a covered provider", RuleExample.grant(1, "u-ca", "alliance", scope: "'P1'")),
        ],
        action: { finding in
            "Re-scope the grant to \(quoted(finding.orgID)) or an organisation in its remit, or revoke it (what the remediation script does)."
        })

    /// `exposure` follows it over time, third in its list of state rules (CONTRACT.md §4).
    static let exposureOrder: Int? = 2

    /// The condition, on every engine (ids compared exactly, byte for byte).
    @inline(__always)
    static func holds<F: GrantFactsView>(_ grant: F) -> Bool {
        grant.scope == .outsideRemit
    }

    package func check(_ grant: GrantFacts, into findings: inout [Finding]) {
        guard Self.holds(grant), let scope = grant.grant.scopeOrgID else { return }
        let own = grant.account.row.orgID
        findings.append(
            grant.finding(
                description,
                message: "Scoped to organisation \(quoted(scope)), which is neither the account's organisation "
                    + "\(quoted(own)) nor in its remit.",
                expected: "no scope, \(quoted(own)), or an organisation in its remit",
                found: quoted(scope)))
    }
}
