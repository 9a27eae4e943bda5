/// `self-approved`: sign-off by the person who allocated the grant, or who holds it, is no
/// sign-off at all.
package struct SelfApproved: GrantRule, GrantCondition {
    package init() {}

    package let description = RuleDescription(
        id: "self-approved", severity: .high,
        rationale: "The approver is the person who granted it or the account holder.",
        subject: "grant",
        triggeringExamples: [
            RuleExample("Approver is the grantor", RuleExample.grant(1, "u-ca", "alliance", by: "'admin.one'", approvedBy: "'admin.one'")),
            RuleExample(
                "At the default level, nothing else wrong",
                RuleExample.grant(1, "u-ca", "organisation", by: "'admin.one'", approvedBy: "'admin.one'")),
            RuleExample(
                "Same person ignores surrounding whitespace and ASCII case",
                RuleExample.grant(1, "u-ca", "alliance", by: "'Admin.One'", approvedBy: "' admin.ONE\t'")),
            RuleExample("Approver is the holder's username", RuleExample.grant(1, "u-ca", "alliance", approvedBy: "'CA.User'")),
            RuleExample("Approver is the holder's account_id", RuleExample.grant(1, "u-ca", "alliance", approvedBy: "'u-ca'")),
            RuleExample(
                "One finding even when the approver matches grantor and holder",
                RuleExample.grant(1, "u-ca", "alliance", by: "'ca.user'", approvedBy: "'ca.user'")),
        ],
        nonTriggeringExamples: [
            RuleExample("Different people", RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample("Both blank is not the same person", RuleExample.grant(1, "u-ca", "alliance", by: "''", approvedBy: "''")),
            RuleExample("NULL grantor and approver", RuleExample.grant(1, "u-ca", "alliance", by: "NULL", approvedBy: "NULL")),
            RuleExample(
                "Only ASCII case is ignored",
                RuleExample.grant(1, "u-ca", "alliance", by: "'ÉVE'", approvedBy: "'éve'")),
            RuleExample(
                "Inner whitespace is not trimmed",
                RuleExample.grant(1, "u-ca", "alliance", by: "'admin one'", approvedBy: "'admin  one'")),
        ],
        action: { finding in
            "Have someone other than \(quoted(finding.evidence["approved_by"])) (the grantor or the holder) approve the grant, or revoke it."
        })

    /// `exposure` follows it over time, fifth in its list of state rules (CONTRACT.md §4).
    static let exposureOrder: Int? = 4

    /// The condition, on every engine (`Blank.samePerson`: trimmed, ASCII case ignored, bytes
    /// otherwise exact).
    @inline(__always)
    static func holds<F: GrantFactsView>(_ grant: F) -> Bool {
        switch grant.approver {
        case .grantor, .username, .accountID: true
        case .blank, .someoneElse: false
        }
    }

    package func check(_ grant: GrantFacts, into findings: inout [Finding]) {
        guard Self.holds(grant) else { return }
        let approver = grant.grant.approvedBy
        let row = grant.account.row
        let who: String
        switch grant.approver {
        case .grantor: who = "the person who granted it (granted_by \(quoted(grant.grant.grantedBy)))"
        case .username: who = "the account holder (username \(quoted(row.username)))"
        default: who = "the account holder (account_id \(quoted(row.accountID)))"
        }
        findings.append(
            grant.finding(
                description,
                message: "Approved by \(quoted(approver)), who is \(who).",
                expected: "an approver other than the grantor and the holder",
                found: quoted(approver)))
    }
}
