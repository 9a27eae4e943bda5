/// One `accounts` row, every value as text (`CAST(x AS TEXT)`), nil for NULL.
public struct AccountRow: Sendable, Hashable {
    public var accountID: String?
    public var username: String?
    public var displayName: String?
    public var orgID: String?
    public var status: String?
    public var createdAt: String?
    public var lastLoginAt: String?

    public init(
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
public struct GrantRow: Sendable, Hashable {
    public var grantID: GrantID
    public var accountID: String?
    public var level: String?
    public var scopeOrgID: String?
    public var grantedAt: String?
    public var grantedBy: String?
    public var approvedBy: String?
    public var expiresAt: String?

    public init(
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
public struct PolicyRow: Sendable, Hashable {
    public var orgType: String?
    public var defaultLevel: String?
    public var maxLevel: String?
    /// True only when `requires_approval` is stored as the integer 0.
    public var approvalWaived: Bool

    public init(orgType: String?, defaultLevel: String?, maxLevel: String?, approvalWaived: Bool) {
        self.orgType = orgType
        self.defaultLevel = defaultLevel
        self.maxLevel = maxLevel
        self.approvalWaived = approvalWaived
    }
}

/// One `organisations` row.
public struct Organisation: Sendable, Hashable {
    public var orgID: String
    public var name: String?
    public var orgType: String?

    public init(orgID: String, name: String?, orgType: String?) {
        self.orgID = orgID
        self.name = name
        self.orgType = orgType
    }
}
