/// `above-default-level`: allowed, but more than the type's default. Worth a reviewer's glance:
/// the breach report asks for default access levels per type of user.
package struct AboveDefaultLevel: GrantRule, GrantCondition {
    package init() {}

    package let description = RuleDescription(
        id: "above-default-level", severity: .info,
        rationale: "The grant is within the type's maximum but above its default level.",
        subject: "grant",
        triggeringExamples: [
            RuleExample("Alliance level for an alliance account (default: organisation)", RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample("National level for a national producer (default: alliance)", RuleExample.grant(1, "u-nat", "national")),
        ],
        nonTriggeringExamples: [
            RuleExample("At the default", RuleExample.grant(1, "u-ca", "organisation")),
            RuleExample("Above the maximum is level-exceeds-policy instead", RuleExample.grant(1, "u-ca", "national")),
            RuleExample("Default equals maximum", RuleExample.grant(1, "u-prov", "organisation")),
        ],
        action: { finding in
            "Confirm that the holder needs \(quoted(finding.evidence["level"])), or lower the grant to the default "
                + "\(quoted(finding.evidence["default_level"]))."
        })

    /// `exposure` follows it over time, second in its list of state rules (CONTRACT.md §4).
    static let exposureOrder: Int? = 1

    /// The condition, on every engine.
    @inline(__always)
    static func holds<F: GrantFactsView>(_ grant: F) -> Bool {
        grant.defaultRank < grant.levelRank && grant.levelRank <= grant.maxRank
    }

    package func check(_ grant: GrantFacts, into findings: inout [Finding]) {
        guard Self.holds(grant) else { return }
        let policy = grant.policy
        findings.append(
            grant.finding(
                description,
                message: "Level \(quoted(grant.grant.level)) (rank \(grant.levelRank)) is above the default "
                    + "\(quoted(policy.defaultLevel)) (rank \(policy.defaultRank)) for organisation type "
                    + "\(quoted(policy.orgType)), within its maximum \(quoted(policy.maxLevel)).",
                expected: "the default \(quoted(policy.defaultLevel)) (rank \(policy.defaultRank))",
                found: "\(quoted(grant.grant.level)) (rank \(grant.levelRank))"))
    }
}
