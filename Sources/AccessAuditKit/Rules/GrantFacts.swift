/// Everything a grant rule may look at for one auditable grant.
package struct GrantFacts {
    package let grant: GrantRow
    package let account: AccountRecord
    package let organisation: Organisation
    package let policy: Policy
    /// The rank of the grant's (valid) level.
    package let levelRank: Int64
    /// The lowest grant_id of an auditable grant with the same account, level and scope, when
    /// that id is lower than this grant's.
    package let duplicateOf: GrantID?
    package let reference: ReferenceData
    package let options: AuditOptions

    /// The grant's identity and the standard evidence, with the rule's expected/found first.
    func finding(
        _ description: RuleDescription, message: String, expected: String?, found: String?,
        column: String? = nil
    ) -> Finding {
        var evidence = Evidence(["expected": expected, "found": found])
        GrantFacts.appendEvidence(
            to: &evidence, grant: grant, account: account.row, organisation: organisation,
            policy: policy)
        return Finding(
            rule: description.id, severity: description.severity, accountID: grant.accountID,
            grantID: grant.grantID, orgID: account.row.orgID, message: message,
            key: FindingKey.make(description.id, "grant", FindingKey.encode(grant.grantID))
                + (column.map { ":" + $0 } ?? ""),
            column: column,
            evidence: evidence)
    }

    /// The facts a reviewer wants next to any grant finding (nil values are left out).
    static func appendEvidence(
        to evidence: inout Evidence, grant: GrantRow, account: AccountRow?,
        organisation: Organisation?, policy: Policy?
    ) {
        evidence.append("username", account?.username)
        evidence.append("display_name", account?.displayName)
        evidence.append("account_status", account?.status)
        evidence.append("organisation", organisation?.name)
        evidence.append("org_type", organisation?.orgType)
        evidence.append("level", grant.level)
        evidence.append("max_level", policy?.maxLevel)
        evidence.append("default_level", policy?.defaultLevel)
        evidence.append("scope_org_id", grant.scopeOrgID)
        evidence.append("granted_at", grant.grantedAt)
        evidence.append("granted_by", grant.grantedBy)
        evidence.append("approved_by", grant.approvedBy)
        evidence.append("expires_at", grant.expiresAt)
    }
}

/// Everything an account rule may look at for one account.
package struct AccountFacts {
    package let account: AccountRecord
    package let organisation: Organisation?
    package let options: AuditOptions

    func finding(
        _ description: RuleDescription, message: String, expected: String?, found: String?,
        column: String? = nil
    ) -> Finding {
        let row = account.row
        let evidence = Evidence([
            "expected": expected, "found": found, "username": row.username,
            "display_name": row.displayName, "account_status": row.status,
            "organisation": organisation?.name, "org_type": organisation?.orgType,
            "created_at": row.createdAt, "last_login_at": row.lastLoginAt,
            "auditable_grants": account.auditableGrants > 0 ? String(account.auditableGrants) : nil,
        ])
        return Finding(
            rule: description.id, severity: description.severity, accountID: row.accountID,
            orgID: row.orgID, message: message,
            key: FindingKey.make(description.id, "account", FindingKey.encode(row.accountID))
                + (column.map { ":" + $0 } ?? ""),
            column: column,
            evidence: evidence)
    }
}

/// Quoting for messages: `'value'`, or `NULL`.
func quoted(_ value: String?) -> String {
    value.map { "'\($0)'" } ?? "NULL"
}
