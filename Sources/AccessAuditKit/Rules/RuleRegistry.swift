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

    /// Rules run on every auditable grant (`StateRule`, below, is their list).
    public static var grantRules: [any GrantRule] { StateRule.allCases.map(\.rule) }

    /// Rules run on every account after the grants (`AccountStateRule`, below, is their list).
    public static var accountRules: [any AccountRule] { AccountStateRule.allCases.map(\.rule) }

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

/// The rules judged on one auditable grant, each by its condition over `GrantFactsView` written
/// once in the rule's file: the one list every engine evaluates (the reference path, the fast
/// audit's grants scan, the fast replay's judge, exposure, the timeline, investigate and actors).
/// A case added here needs its arm in each switch below, which the compiler insists on; its rule
/// also goes into `RuleRegistry.all` (`RegistryTests` checks that both lists agree).
enum StateRule: String, CaseIterable, Sendable {
    case levelExceedsPolicy = "level-exceeds-policy"
    case aboveDefaultLevel = "above-default-level"
    case scopeOutsideRemit = "scope-outside-remit"
    case missingApproval = "missing-approval"
    case selfApproved = "self-approved"
    case expiredGrant = "expired-grant"
    case invalidTimestamp = "invalid-timestamp"
    case duplicateGrant = "duplicate-grant"

    var id: String { rawValue }

    /// The rule: description, messages and evidence.
    var rule: any GrantRule {
        switch self {
        case .levelExceedsPolicy: RuleRegistry.levelExceedsPolicy
        case .aboveDefaultLevel: RuleRegistry.aboveDefaultLevel
        case .scopeOutsideRemit: RuleRegistry.scopeOutsideRemit
        case .missingApproval: RuleRegistry.missingApproval
        case .selfApproved: RuleRegistry.selfApproved
        case .expiredGrant: RuleRegistry.expiredGrant
        case .invalidTimestamp: RuleRegistry.invalidTimestamp
        case .duplicateGrant: RuleRegistry.duplicateGrant
        }
    }

    /// Whether the rule's condition holds (specialised for each engine's facts).
    @inline(__always)
    func holds<F: GrantFactsView>(_ facts: F) -> Bool {
        switch self {
        case .levelExceedsPolicy: LevelExceedsPolicy.holds(facts)
        case .aboveDefaultLevel: AboveDefaultLevel.holds(facts)
        case .scopeOutsideRemit: ScopeOutsideRemit.holds(facts)
        case .missingApproval: MissingApproval.holds(facts)
        case .selfApproved: SelfApproved.holds(facts)
        case .expiredGrant: ExpiredGrant.holds(facts)
        case .invalidTimestamp: InvalidTimestamp.holds(facts)
        case .duplicateGrant: DuplicateGrant.holds(facts)
        }
    }

    /// Whether `exposure` follows the rule over time: a condition of the grant's own state, not
    /// of the clock (`expired-grant`), of granted_at or of other grants.
    var followedByExposure: Bool {
        switch self {
        case .levelExceedsPolicy, .aboveDefaultLevel, .scopeOutsideRemit, .missingApproval, .selfApproved: true
        case .expiredGrant, .invalidTimestamp, .duplicateGrant: false
        }
    }

    /// The rules `exposure` follows, in this order.
    static let exposed = allCases.filter(\.followedByExposure)

    /// Whether any rule's condition holds: the grant is a candidate for the rules' findings.
    @inline(__always)
    static func anyHolds<F: GrantFactsView>(_ facts: F) -> Bool {
        for rule in list where rule.holds(facts) { return true }
        return false
    }

    /// `allCases` made once (the synthesized property builds an array on each call).
    static let list = allCases
}

/// The rules judged on one account, each by its condition over `AccountFactsView`, like
/// `StateRule` for grants.
enum AccountStateRule: String, CaseIterable, Sendable {
    case inactiveAccountAccess = "inactive-account-access"
    case invalidTimestamp = "invalid-timestamp"
    case dormantAccount = "dormant-account"

    var id: String { rawValue }

    var rule: any AccountRule {
        switch self {
        case .inactiveAccountAccess: RuleRegistry.inactiveAccountAccess
        case .invalidTimestamp: RuleRegistry.invalidTimestamp
        case .dormantAccount: RuleRegistry.dormantAccount
        }
    }

    @inline(__always)
    func holds<F: AccountFactsView>(_ account: F) -> Bool {
        switch self {
        case .inactiveAccountAccess: InactiveAccountAccess.holds(account: account)
        case .invalidTimestamp: InvalidTimestamp.holds(account: account)
        case .dormantAccount: DormantAccount.holds(account: account)
        }
    }

    /// Whether any account rule's condition holds: the account's row is needed for findings.
    @inline(__always)
    static func anyHolds<F: AccountFactsView>(_ account: F) -> Bool {
        for rule in list where rule.holds(account) { return true }
        return false
    }

    static let list = allCases
}
