/// `duplicate-grant`: the same access granted twice. Harmless until one copy is revoked and the
/// other is forgotten.
package struct DuplicateGrant: GrantRule, GrantCondition {
    package init() {}

    package let description = RuleDescription(
        id: "duplicate-grant", severity: .low,
        rationale: "Another grant gives the same account the same level and scope.",
        subject: "grant",
        triggeringExamples: [
            RuleExample("The later of two identical grants", RuleExample.grant(1, "u-ca", "alliance") + RuleExample.grant(2, "u-ca", "alliance")),
            RuleExample(
                "At the default level, nothing else wrong",
                RuleExample.grant(1, "u-ca", "organisation") + RuleExample.grant(2, "u-ca", "organisation")),
            RuleExample(
                "Blank and NULL scopes are the same scope",
                RuleExample.grant(1, "u-ca", "alliance", scope: "''") + RuleExample.grant(2, "u-ca", "alliance", scope: "NULL")),
            RuleExample(
                "Three copies give two findings",
                count: 2,
                RuleExample.grant(5, "u-ca", "alliance") + RuleExample.grant(3, "u-ca", "alliance")
                    + RuleExample.grant(9, "u-ca", "alliance")),
        ],
        nonTriggeringExamples: [
            RuleExample("Different levels", RuleExample.grant(1, "u-ca", "alliance") + RuleExample.grant(2, "u-ca", "organisation")),
            RuleExample("Different scopes", RuleExample.grant(1, "u-ca", "alliance", scope: "'P1'") + RuleExample.grant(2, "u-ca", "alliance")),
            RuleExample("Different accounts", RuleExample.grant(1, "u-ca", "organisation") + RuleExample.grant(2, "u-prov", "organisation")),
            RuleExample(
                "An unauditable twin does not count",
                "INSERT INTO accounts VALUES ('u-lost', 'lost', NULL, 'GONE', 'active', '2026-01-01', NULL);"
                    + RuleExample.grant(1, "u-lost", "alliance") + RuleExample.grant(2, "u-lost", "alliance")),
        ],
        action: { finding in
            "Revoke this grant (what the remediation script does): \(finding.evidence["found"] ?? "another grant") gives the same access."
        })

    /// The condition, on every engine (each tracks the grants it has seen its own way).
    @inline(__always)
    static func holds<F: GrantFactsView>(_ grant: F) -> Bool {
        grant.isDuplicate
    }

    package func check(_ grant: GrantFacts, into findings: inout [Finding]) {
        guard Self.holds(grant), let first = grant.duplicateOf else { return }
        findings.append(
            grant.finding(
                description,
                message: "Same account, level \(quoted(grant.grant.level)) and scope as grant \(first), "
                    + "which has a lower grant_id.",
                expected: "one grant per account, level and scope", found: "also grant \(first)"))
    }
}
