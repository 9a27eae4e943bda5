/// `invalid-policy`: a policy that names a level that does not exist, or whose default is above
/// its maximum, cannot be enforced. Grants of that type become `no-policy`.
package struct InvalidPolicy: PolicyRule, RegisteredRule {
    package init() {}

    package let description = RuleDescription(
        id: "invalid-policy", severity: .critical,
        rationale: "A policy row names a level not in access_levels, or its default ranks above its maximum.",
        subject: "policy row",
        triggeringExamples: [
            RuleExample("Unknown maximum", "INSERT INTO policy VALUES ('auditor', 'organisation', 'galactic', 1);"),
            RuleExample("Unknown default", "INSERT INTO policy VALUES ('auditor', 'gone', 'national', 1);"),
            RuleExample("Default above maximum", "INSERT INTO policy VALUES ('auditor', 'national', 'alliance', 1);"),
            RuleExample(
                "A level with a non-integer rank is not valid",
                "INSERT INTO access_levels VALUES ('special', 25.0, NULL); INSERT INTO policy VALUES ('auditor', 'organisation', 'special', 1);"),
            RuleExample("NULL maximum", "INSERT INTO policy VALUES ('auditor', 'organisation', NULL, 1);"),
        ],
        nonTriggeringExamples: [
            RuleExample("Default equals maximum", "INSERT INTO policy VALUES ('auditor', 'alliance', 'alliance', 1);"),
            RuleExample("Valid policy without accounts", "INSERT INTO policy VALUES ('auditor', 'organisation', 'national', 0);"),
        ],
        action: { finding in
            "Fix the policy row of organisation type \(quoted(finding.orgType)): levels that exist in access_levels, "
                + "a default no higher than the maximum."
        })

    package func check(_ row: PolicyRow, levels: LevelTable, into findings: inout [Finding]) {
        var problems: [String] = []
        let defaultRank = levels.rank(row.defaultLevel)
        let maxRank = levels.rank(row.maxLevel)
        if defaultRank == nil { problems.append("default level \(quoted(row.defaultLevel)) is not a valid level") }
        if maxRank == nil { problems.append("max level \(quoted(row.maxLevel)) is not a valid level") }
        if let defaultRank, let maxRank, defaultRank > maxRank {
            problems.append(
                "default \(quoted(row.defaultLevel)) (rank \(defaultRank)) is above max "
                    + "\(quoted(row.maxLevel)) (rank \(maxRank))")
        }
        guard !problems.isEmpty else { return }
        findings.append(
            Finding(
                rule: description.id, severity: description.severity,
                message: "Policy for organisation type \(quoted(row.orgType)): \(problems.joined(separator: "; ")). "
                    + "Grants of this type cannot be audited.",
                key: FindingKey.make(description.id, "policy", FindingKey.encode(row.orgType)),
                orgType: row.orgType,
                evidence: Evidence([
                    "expected": "valid levels with rank(default) <= rank(max)",
                    "found": "default \(quoted(row.defaultLevel)), max \(quoted(row.maxLevel))",
                    "org_type": row.orgType,
                ])))
    }
}
