/// `invalid-timestamp`: a date nobody can read is a date no rule can check. One finding per
/// value, naming the column.
package struct InvalidTimestamp: GrantRule, AccountRule, GrantCondition, AccountCondition {
    package init() {}

    package let description = RuleDescription(
        id: "invalid-timestamp", severity: .medium,
        rationale: "A grant's granted_at/expires_at or an account's created_at/last_login_at is not a valid timestamp.",
        subject: "value",
        triggeringExamples: [
            RuleExample("February 30th", RuleExample.grant(1, "u-ca", "alliance", expires: "'2026-02-30'")),
            RuleExample("Blank granted_at", RuleExample.grant(1, "u-ca", "alliance", grantedAt: "''")),
            RuleExample("Two bad values, two findings", count: 2, RuleExample.grant(1, "u-ca", "alliance", grantedAt: "'07/03/2019'", expires: "'2026-07-01 25:00'")),
            RuleExample("Lower-case t", RuleExample.grant(1, "u-ca", "alliance", grantedAt: "'2026-05-01t10:00:00Z'")),
            RuleExample("Surrounding whitespace", RuleExample.grant(1, "u-ca", "alliance", grantedAt: "' 2026-05-01'")),
            RuleExample("An integer is read as its text", RuleExample.grant(1, "u-ca", "alliance", grantedAt: "20260501")),
            RuleExample("Account created_at", "UPDATE accounts SET created_at = '2026-01-01T24:00' WHERE account_id = 'u-prov';"),
            RuleExample("Blank created_at", "UPDATE accounts SET created_at = '' WHERE account_id = 'u-prov';"),
            RuleExample("Account last_login_at, no grant needed", "UPDATE accounts SET last_login_at = '2026-05-30T09:00:60' WHERE account_id = 'u-prov';"),
            RuleExample("Zone hours out of range", "UPDATE accounts SET last_login_at = '2026-05-30T09:00+24:00' WHERE account_id = 'u-prov';"),
            RuleExample(
                "Real fields whose UTC instant is in year 10000",
                RuleExample.grant(1, "u-ca", "alliance", expires: "'9999-12-31T23:59-23:59'")),
            RuleExample(
                "Real fields whose UTC instant is in year 0",
                "UPDATE accounts SET created_at = '0001-01-01T00:00+00:01' WHERE account_id = 'u-prov';"),
        ],
        nonTriggeringExamples: [
            RuleExample("Valid forms", RuleExample.grant(1, "u-ca", "alliance", grantedAt: "'2024-02-29 23:59:59.123456789-05:30'", expires: "'9999-12-31'")),
            RuleExample("Blank expires_at is NULL", RuleExample.grant(1, "u-ca", "alliance", expires: "''")),
            RuleExample("Blank last_login_at is NULL", "UPDATE accounts SET last_login_at = '\t' WHERE account_id = 'u-prov';"),
            RuleExample(
                "An unauditable grant's timestamps are not checked",
                RuleExample.grant(1, "nobody", "alliance", grantedAt: "'never'")),
        ],
        action: { finding in
            "Correct \(finding.column ?? "the value") to \(finding.evidence["expected"] ?? "a valid timestamp")."
        })

    /// The grant condition, on every engine: granted_at invalid (never on a replayed state, where
    /// it is the event's own valid time), or expires_at neither blank nor valid.
    @inline(__always)
    static func holds<F: GrantFactsView>(_ grant: F) -> Bool {
        !grant.grantedAtValid || grant.expires == .invalid
    }

    package func check(_ grant: GrantFacts, into findings: inout [Finding]) {
        guard Self.holds(grant) else { return }
        let row = grant.grant
        let columns = [("granted_at", row.grantedAt, !grant.grantedAtValid), ("expires_at", row.expiresAt, grant.expires == .invalid)]
        for (column, value, invalid) in columns where invalid {
            let required = column == "granted_at"
            findings.append(
                grant.finding(
                    description, message: InvalidTimestamp.message("grants.\(column)", value),
                    expected: InvalidTimestamp.expected(required), found: quoted(value), column: column))
        }
    }

    /// The account condition, on every engine: only on the current state (§4).
    @inline(__always)
    static func holds<F: AccountFactsView>(account: F) -> Bool {
        account.current && account.badTimestamp
    }

    package func check(_ account: AccountFacts, into findings: inout [Finding]) {
        guard Self.holds(account: account) else { return }
        let row = account.account.row
        for (column, value, required) in [("created_at", row.createdAt, true), ("last_login_at", row.lastLoginAt, false)]
        where !InvalidTimestamp.isValid(value, required: required) {
            findings.append(
                account.finding(
                    description, message: InvalidTimestamp.message("accounts.\(column)", value),
                    expected: InvalidTimestamp.expected(required), found: quoted(value), column: column))
        }
    }

    /// A NOT NULL column (`required`) must hold a valid timestamp; in a nullable one blank means NULL.
    static func isValid(_ value: String?, required: Bool) -> Bool {
        (!required && Blank.isBlank(value)) || value.flatMap(Timestamp.init) != nil
    }

    static func expected(_ required: Bool) -> String {
        required ? "a timestamp" : "a timestamp or NULL"
    }

    static func message(_ column: String, _ value: String?) -> String {
        if Blank.isBlank(value) { return "\(column) is blank; a timestamp is required." }
        return "\(column) is not a valid timestamp: \(quoted(value))."
    }
}
