/// One `accounts` row, every value as text (`CAST(x AS TEXT)`), nil for NULL.
public struct AccountRow: Sendable, Hashable {
    public var accountID: String?
    public var username: String?
    public var displayName: String?
    public var orgID: String?
    public var status: String?
    public var createdAt: String?
    public var lastLoginAt: String?

    package init(
        accountID: String?, username: String?, displayName: String? = nil, orgID: String?,
        status: String?, createdAt: String?, lastLoginAt: String? = nil
    ) {
        self.accountID = accountID
        self.username = username
        self.displayName = displayName
        self.orgID = orgID
        self.status = status
        self.createdAt = createdAt
        self.lastLoginAt = lastLoginAt
    }
}

/// One `grants` row, every value but the id as text, nil for NULL.
package struct GrantRow: Sendable, Hashable {
    package var grantID: GrantID
    package var accountID: String?
    package var level: String?
    package var scopeOrgID: String?
    package var grantedAt: String?
    package var grantedBy: String?
    package var approvedBy: String?
    package var expiresAt: String?

    package init(
        grantID: GrantID, accountID: String?, level: String?, scopeOrgID: String? = nil,
        grantedAt: String?, grantedBy: String? = nil, approvedBy: String? = nil,
        expiresAt: String? = nil
    ) {
        self.grantID = grantID
        self.accountID = accountID
        self.level = level
        self.scopeOrgID = scopeOrgID
        self.grantedAt = grantedAt
        self.grantedBy = grantedBy
        self.approvedBy = approvedBy
        self.expiresAt = expiresAt
    }
}

/// One `policy` row as read.
package struct PolicyRow: Sendable, Hashable {
    package var orgType: String?
    package var defaultLevel: String?
    package var maxLevel: String?
    /// True only when `requires_approval` is stored as the integer 0.
    package var approvalWaived: Bool

    package init(orgType: String?, defaultLevel: String?, maxLevel: String?, approvalWaived: Bool) {
        self.orgType = orgType
        self.defaultLevel = defaultLevel
        self.maxLevel = maxLevel
        self.approvalWaived = approvalWaived
    }
}

/// One `organisations` row.
package struct Organisation: Sendable, Hashable {
    package var orgID: String
    package var name: String?
    package var orgType: String?

    package init(orgID: String, name: String?, orgType: String?) {
        self.orgID = orgID
        self.name = name
        self.orgType = orgType
    }
}
