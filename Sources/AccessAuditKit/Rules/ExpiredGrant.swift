/// `expired-grant`: access past its end date is still in the table.
package struct ExpiredGrant: GrantRule, GrantCondition {
    package init() {}

    package let description = RuleDescription(
        id: "expired-grant", severity: .medium,
        rationale: "The grant's expiry has passed but the grant is still present.",
        subject: "grant",
        triggeringExamples: [
            RuleExample("Expired last month", RuleExample.grant(1, "u-ca", "alliance", expires: "'2026-05-01'")),
            RuleExample("At the default level, nothing else wrong", RuleExample.grant(1, "u-ca", "organisation", expires: "'2026-05-01'")),
            RuleExample("Expiring exactly now counts (<= now)", RuleExample.grant(1, "u-ca", "alliance", expires: "'2026-06-01T00:00:00Z'")),
            RuleExample("A zone offset moves the instant", RuleExample.grant(1, "u-ca", "alliance", expires: "'2026-06-01T01:30:00+02:00'")),
        ],
        nonTriggeringExamples: [
            RuleExample("Expires later", RuleExample.grant(1, "u-ca", "alliance", expires: "'2026-06-01T00:00:00.000001Z'")),
            RuleExample("No expiry", RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample("A blank expiry means none", RuleExample.grant(1, "u-ca", "alliance", expires: "'  '")),
            RuleExample("An invalid expiry is invalid-timestamp instead", RuleExample.grant(1, "u-ca", "alliance", expires: "'2026-02-30'")),
        ],
        action: { finding in
            "Revoke the grant (what the remediation script does): it expired at \(finding.evidence["expires_at"] ?? "?"); renew it only with a new approval."
        })

    /// The condition, on every engine: a valid expiry at or before now.
    @inline(__always)
    static func holds<F: GrantFactsView>(_ grant: F) -> Bool {
        guard case .valid(let expiry) = grant.expires else { return false }
        return expiry <= grant.now
    }

    package func check(_ grant: GrantFacts, into findings: inout [Finding]) {
        guard Self.holds(grant), case .valid(let expiry) = grant.expires else { return }
        findings.append(
            grant.finding(
                description,
                message: "Grant of \(quoted(grant.grant.level)) expired at \(expiry) but is still present "
                    + "(now \(grant.options.now)).",
                expected: "removed by \(expiry)", found: "present at \(grant.options.now)"))
    }
}
