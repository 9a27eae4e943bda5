/// Every rule of the audit, in the contract's order. The one place a new rule is registered.
public enum RuleRegistry {
    public static let levelExceedsPolicy = LevelExceedsPolicy()
    public static let invalidPolicy = InvalidPolicy()
    public static let scopeOutsideRemit = ScopeOutsideRemit()
    public static let missingApproval = MissingApproval()
    public static let selfApproved = SelfApproved()
    public static let unauditableGrant = UnauditableGrant()
    public static let historyMismatch = HistoryMismatch()
    public static let expiredGrant = ExpiredGrant()
    public static let inactiveAccountAccess = InactiveAccountAccess()
    public static let invalidTimestamp = InvalidTimestamp()
    public static let invalidEvent = InvalidEvent()
    public static let dormantAccount = DormantAccount()
    public static let duplicateGrant = DuplicateGrant()
    public static let aboveDefaultLevel = AboveDefaultLevel()

    /// All rules, in CONTRACT.md §3's order.
    public static let all: [any Rule] = [
        levelExceedsPolicy, invalidPolicy, scopeOutsideRemit, missingApproval, selfApproved,
        unauditableGrant, historyMismatch, expiredGrant, inactiveAccountAccess, invalidTimestamp,
        invalidEvent, dormantAccount, duplicateGrant, aboveDefaultLevel,
    ]

    /// Rules run on every auditable grant, in order.
    public static let grantRules: [any GrantRule] = [
        levelExceedsPolicy, scopeOutsideRemit, missingApproval, selfApproved, expiredGrant,
        invalidTimestamp, duplicateGrant, aboveDefaultLevel,
    ]

    /// Rules run on every account after the grants.
    public static let accountRules: [any AccountRule] = [inactiveAccountAccess, invalidTimestamp, dormantAccount]

    /// Rules run on every policy row.
    public static let policyRules: [any PolicyRule] = [invalidPolicy]

    /// Every rule id, in order.
    public static var ids: [String] { all.map(\.description.id) }

    /// The description of a rule id.
    public static func description(of id: String) -> RuleDescription? {
        all.first { $0.description.id == id }?.description
    }

    /// Position of a rule in `all`, for ordering findings.
    static let order: [String: Int] = Dictionary(
        uniqueKeysWithValues: all.enumerated().map { ($1.description.id, $0) })
}
