/// `invalid-timestamp`: a date nobody can read is a date no rule can check. One finding per
/// value, naming the column.
public struct InvalidTimestamp: GrantRule, AccountRule {
    public init() {}

    public let description = RuleDescription(
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
        ],
        nonTriggeringExamples: [
            RuleExample("Valid forms", RuleExample.grant(1, "u-ca", "alliance", grantedAt: "'2024-02-29 23:59:59.123456789-05:30'", expires: "'9999-12-31'")),
            RuleExample("Blank expires_at is NULL", RuleExample.grant(1, "u-ca", "alliance", expires: "''")),
            RuleExample("Blank last_login_at is NULL", "UPDATE accounts SET last_login_at = '\t' WHERE account_id = 'u-prov';"),
            RuleExample(
                "An unauditable grant's timestamps are not checked",
                RuleExample.grant(1, "nobody", "alliance", grantedAt: "'never'")),
        ])

    public func check(_ grant: GrantFacts, into findings: inout [Finding]) {
        let row = grant.grant
        if grant.options.mode == .current, !InvalidTimestamp.isValidRequired(row.grantedAt) {
            findings.append(
                grant.finding(
                    description, message: InvalidTimestamp.message("grants.granted_at", row.grantedAt),
                    expected: "a timestamp", found: quoted(row.grantedAt), column: "granted_at"))
        }
        if !InvalidTimestamp.isValidOptional(row.expiresAt) {
            findings.append(
                grant.finding(
                    description, message: InvalidTimestamp.message("grants.expires_at", row.expiresAt),
                    expected: "a timestamp or NULL", found: quoted(row.expiresAt), column: "expires_at"))
        }
    }

    public func check(_ account: AccountFacts, into findings: inout [Finding]) {
        guard account.options.mode == .current else { return }
        let row = account.account.row
        if !InvalidTimestamp.isValidRequired(row.createdAt) {
            findings.append(
                account.finding(
                    description, message: InvalidTimestamp.message("accounts.created_at", row.createdAt),
                    expected: "a timestamp", found: quoted(row.createdAt), column: "created_at"))
        }
        if !InvalidTimestamp.isValidOptional(row.lastLoginAt) {
            findings.append(
                account.finding(
                    description, message: InvalidTimestamp.message("accounts.last_login_at", row.lastLoginAt),
                    expected: "a timestamp or NULL", found: quoted(row.lastLoginAt), column: "last_login_at"))
        }
    }

    /// A NOT NULL timestamp column: blank is invalid.
    static func isValidRequired(_ value: String?) -> Bool {
        value.flatMap(Timestamp.init) != nil
    }

    /// A nullable timestamp column: blank means NULL.
    static func isValidOptional(_ value: String?) -> Bool {
        Blank.isBlank(value) || isValidRequired(value)
    }

    static func message(_ column: String, _ value: String?) -> String {
        if Blank.isBlank(value) { return "\(column) is blank; a timestamp is required." }
        return "\(column) is not a valid timestamp: \(quoted(value))."
    }
}
