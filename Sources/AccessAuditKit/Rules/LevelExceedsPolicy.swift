/// `level-exceeds-policy`: the breach report's failure. A grant ranks above what the account's
/// organisation type may hold at most (a Cancer Alliance user with a national account).
package struct LevelExceedsPolicy: GrantRule, GrantCondition {
    package init() {}

    package let description = RuleDescription(
        id: "level-exceeds-policy", severity: .critical,
        rationale: "The account holds a level above the maximum its organisation type may hold.",
        subject: "grant",
        triggeringExamples: [
            RuleExample("An alliance account with a national grant", RuleExample.grant(1, "u-ca", "national")),
            RuleExample(
                "A provider with alliance, scoped to its own organisation",
                RuleExample.grant(1, "u-prov", "alliance", scope: "'P1'")),
            RuleExample(
                "Ranks come from the database, not from level names",
                "UPDATE access_levels SET rank = 40 WHERE level = 'alliance';"
                    + "UPDATE access_levels SET rank = 35 WHERE level = 'national';"
                    + "UPDATE policy SET default_level = 'organisation' WHERE org_type = 'national_producer';"
                    + RuleExample.grant(1, "u-nat", "alliance")),
        ],
        nonTriggeringExamples: [
            RuleExample("An alliance account at its maximum", RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample("A national producer with national access", RuleExample.grant(1, "u-nat", "national")),
            RuleExample(
                "An unknown level is unauditable, not over the maximum",
                RuleExample.grant(1, "u-ca", "galactic")),
            RuleExample(
                "A level whose rank is not an integer is not a valid level",
                "INSERT INTO access_levels VALUES ('text-rank', '99', NULL);"
                    + RuleExample.grant(1, "u-ca", "text-rank")),
        ],
        action: { finding in
            let e = finding.evidence
            return "Lower the grant to \(quoted(e["max_level"])) (what the remediation script does) or move the account to an "
                + "organisation whose type may hold \(quoted(e["level"])); or revoke it."
        })

    /// `exposure` follows it over time, first in its list of state rules (CONTRACT.md §4).
    static let exposureOrder: Int? = 0

    /// The condition, on every engine.
    @inline(__always)
    static func holds<F: GrantFactsView>(_ grant: F) -> Bool {
        grant.levelRank > grant.maxRank
    }

    package func check(_ grant: GrantFacts, into findings: inout [Finding]) {
        guard Self.holds(grant) else { return }
        let policy = grant.policy
        findings.append(
            grant.finding(
                description,
                message: "Level \(quoted(grant.grant.level)) (rank \(grant.levelRank)) is above the maximum "
                    + "\(quoted(policy.maxLevel)) (rank \(policy.maxRank)) for organisation type "
                    + "\(quoted(policy.orgType)).",
                expected: "at most \(quoted(policy.maxLevel)) (rank \(policy.maxRank))",
                found: "\(quoted(grant.grant.level)) (rank \(grant.levelRank))"))
    }
}
