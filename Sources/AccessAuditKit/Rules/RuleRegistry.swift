/// Every rule of the audit, in the contract's order.
public enum RuleRegistry {
    /// The one list: every rule, in CONTRACT.md §3's order, one line each. Everything else here,
    /// and every engine (the reference path, the fast audit's grants scan, the fast replay judge,
    /// both exposures, the timeline, investigate and actors), takes its rules from it.
    static let list = NoRules()
        .and(LevelExceedsPolicy.self)
        .and(InvalidPolicy.self)
        .and(ScopeOutsideRemit.self)
        .and(MissingApproval.self)
        .and(SelfApproved.self)
        .and(UnauditableGrant.self)
        .and(HistoryMismatch.self)
        .and(ExpiredGrant.self)
        .and(InactiveAccountAccess.self)
        .and(InvalidTimestamp.self)
        .and(InvalidEvent.self)
        .and(DormantAccount.self)
        .and(DuplicateGrant.self)
        .and(AboveDefaultLevel.self)

    /// The rule types of `list`, in its order.
    static let types = list.types

    /// All rules, in CONTRACT.md §3's order (`list`'s).
    package static let all: [any Rule] = types.map { $0.init() }

    /// Rules run on every auditable grant (`StateRule.list`).
    package static let grantRules: [any GrantRule] = all.compactMap { $0 as? any GrantRule }

    /// Rules run on every account after the grants (`AccountStateRule.list`).
    package static let accountRules: [any AccountRule] = all.compactMap { $0 as? any AccountRule }

    /// Rules run on every policy row.
    package static let policyRules: [any PolicyRule] = all.compactMap { $0 as? any PolicyRule }

    /// Every rule id, in order.
    public static let ids: [String] = all.map(\.description.id)

    /// The description of a rule id.
    public static func description(of id: String) -> RuleDescription? {
        order[id].map { all[$0].description }
    }

    /// The id of a rule type of the list.
    static func id(of type: any RegisteredRule.Type) -> String? {
        list.index(of: type).map { ids[$0] }
    }

    /// Position of a rule in `all`, for ordering findings.
    static let order: [String: Int] = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
}

/// A grant rule of the registry, named by its index in `RuleRegistry.list` (one byte, for the
/// trackers that keep a rule per interval): the rules judged on one auditable grant, each by its
/// condition over `GrantFactsView` written once in the rule's file. A `GrantRule` of the list is
/// one (`RuleListTests` checks that each has its condition).
struct StateRule: Hashable, Sendable {
    /// The index in `RuleRegistry.list` and `RuleRegistry.all`.
    let index: UInt8

    private init(index: Int) {
        self.index = UInt8(index)
    }

    /// The grant rule with this id.
    init?(rawValue id: String) {
        guard let rule = StateRule.list.first(where: { $0.id == id }) else { return nil }
        self = rule
    }

    /// The grant rule `type`, if it is one of the list.
    init?(_ type: any RegisteredRule.Type) {
        guard let index = RuleRegistry.list.index(of: type), RuleRegistry.all[index] is any GrantRule else { return nil }
        self.init(index: index)
    }

    var id: String { RuleRegistry.ids[Int(index)] }

    /// The rule: description, messages and evidence.
    var rule: any Rule { RuleRegistry.all[Int(index)] }

    /// Whether the rule's condition holds (specialised for each engine's facts).
    @inline(__always)
    func holds<F: GrantFactsView>(_ facts: F) -> Bool {
        RuleRegistry.list.grantHolds(at: Int(index), facts)
    }

    /// Whether `exposure` follows the rule over time (its `exposureOrder`).
    var followedByExposure: Bool { exposureOrder != nil }

    private var exposureOrder: Int? { RuleRegistry.types[Int(index)].exposureOrder }

    /// Every grant rule, in the contract's order.
    static let list: [StateRule] = RuleRegistry.all.indices.filter { RuleRegistry.all[$0] is any GrantRule }
        .map(StateRule.init(index:))

    /// The rules `exposure` follows, in the order of their `exposureOrder`.
    static let exposed: [StateRule] = list.filter(\.followedByExposure).sorted { ($0.exposureOrder ?? 0) < ($1.exposureOrder ?? 0) }

    /// Whether any rule's condition holds: the grant is a candidate for the rules' findings.
    @inline(__always)
    static func anyHolds<F: GrantFactsView>(_ facts: F) -> Bool {
        RuleRegistry.list.anyGrantHolds(facts)
    }
}

/// An account rule of the registry, by its index in `RuleRegistry.list`, like `StateRule` for
/// grants: each judged on one account by its condition over `AccountFactsView`.
struct AccountStateRule: Hashable, Sendable {
    let index: UInt8

    private init(index: Int) {
        self.index = UInt8(index)
    }

    /// The account rule `type`, if it is one of the list.
    init?(_ type: any RegisteredRule.Type) {
        guard let index = RuleRegistry.list.index(of: type), RuleRegistry.all[index] is any AccountRule else { return nil }
        self.init(index: index)
    }

    var id: String { RuleRegistry.ids[Int(index)] }

    var rule: any Rule { RuleRegistry.all[Int(index)] }

    @inline(__always)
    func holds<F: AccountFactsView>(_ account: F) -> Bool {
        RuleRegistry.list.accountHolds(at: Int(index), account)
    }

    /// Every account rule, in the contract's order.
    static let list: [AccountStateRule] = RuleRegistry.all.indices.filter { RuleRegistry.all[$0] is any AccountRule }
        .map(AccountStateRule.init(index:))

    /// Whether any account rule's condition holds: the account's row is needed for findings.
    @inline(__always)
    static func anyHolds<F: AccountFactsView>(_ account: F) -> Bool {
        RuleRegistry.list.anyAccountHolds(account)
    }
}
