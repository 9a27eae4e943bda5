/// What the registry's list knows of a rule type, each with a default for the rules that do not
/// have it: its conditions (a grant or account rule has them through `GrantCondition` /
/// `AccountCondition`; any other rule's are `false`) and whether `exposure` follows it.
protocol RegisteredRule: Rule {
    init()
    /// The rule's grant condition (`GrantCondition.holds`), `false` for a rule not judged on grants.
    static func grantHolds<F: GrantFactsView>(_ grant: F) -> Bool
    /// The rule's account condition (`AccountCondition.holds(account:)`), else `false`.
    static func accountHolds<F: AccountFactsView>(_ account: F) -> Bool
    /// The rule's place in the list of state rules `exposure` follows over time (CONTRACT.md §4,
    /// `Exposure.rules`), nil when exposure does not follow it: a condition of the clock
    /// (`expired-grant`), of granted_at, of other grants, or no grant condition at all.
    static var exposureOrder: Int? { get }
}

extension RegisteredRule {
    @inline(__always)
    static func grantHolds<F: GrantFactsView>(_ grant: F) -> Bool { false }
    @inline(__always)
    static func accountHolds<F: AccountFactsView>(_ account: F) -> Bool { false }
    static var exposureOrder: Int? { nil }
}

// A condition has no default: a grant (account) rule must write its `holds`.
extension RegisteredRule where Self: GrantCondition {
    @inline(__always)
    static func grantHolds<F: GrantFactsView>(_ grant: F) -> Bool { holds(grant) }
}

extension RegisteredRule where Self: AccountCondition {
    @inline(__always)
    static func accountHolds<F: AccountFactsView>(_ account: F) -> Bool { holds(account: account) }
}

/// One kind of condition the list evaluates, on one engine's facts: the grant conditions or the
/// account conditions.
protocol RuleCondition {
    associatedtype Facts
    static func holds<R: RegisteredRule>(_ rule: R.Type, _ facts: Facts) -> Bool
}

enum GrantConditions<F: GrantFactsView>: RuleCondition {
    @inline(__always)
    static func holds<R: RegisteredRule>(_ rule: R.Type, _ facts: F) -> Bool { R.grantHolds(facts) }
}

enum AccountConditions<F: AccountFactsView>: RuleCondition {
    @inline(__always)
    static func holds<R: RegisteredRule>(_ rule: R.Type, _ facts: F) -> Bool { R.accountHolds(facts) }
}

/// A list of rule types as a type: `NoRules().and(A.self).and(B.self)` is
/// `RuleListNode<RuleListNode<NoRules, A>, B>`.
///
/// Each engine evaluates the conditions through it, and the optimiser specialises and inlines
/// every rule's condition into the engine's loop, for the engine's own facts: no existential,
/// no witness table, no loop over the rules at run time (Swift 6.3's parameter packs, iterated
/// with `for … in repeat each`, still call each element's condition through its witness table;
/// docs/PERFORMANCE.md has the measurement). A rule is named by its index in the list.
protocol RuleList {
    static var count: Int { get }
    /// The rule types, in the list's order.
    static func appendTypes(to types: inout [any RegisteredRule.Type])
    /// Whether any rule's condition of kind `C` holds.
    static func anyHolds<C: RuleCondition>(_ kind: C.Type, _ facts: C.Facts) -> Bool
    /// Whether the condition of kind `C` of the rule at `index` holds.
    static func holds<C: RuleCondition>(_ kind: C.Type, at index: Int, _ facts: C.Facts) -> Bool
    /// The index of `type` in the list, if it is there.
    static func index(of type: any RegisteredRule.Type) -> Int?
}

extension RuleList {
    /// This list with `rule` after its last rule.
    func and<R: RegisteredRule>(_ rule: R.Type) -> RuleListNode<Self, R> { RuleListNode() }

    var types: [any RegisteredRule.Type] {
        var types: [any RegisteredRule.Type] = []
        Self.appendTypes(to: &types)
        return types
    }

    /// Whether any rule's grant condition holds.
    @inline(__always)
    func anyGrantHolds<F: GrantFactsView>(_ grant: F) -> Bool { Self.anyHolds(GrantConditions<F>.self, grant) }

    /// Whether the grant condition of the rule at `index` holds.
    @inline(__always)
    func grantHolds<F: GrantFactsView>(at index: Int, _ grant: F) -> Bool {
        Self.holds(GrantConditions<F>.self, at: index, grant)
    }

    @inline(__always)
    func anyAccountHolds<F: AccountFactsView>(_ account: F) -> Bool { Self.anyHolds(AccountConditions<F>.self, account) }

    @inline(__always)
    func accountHolds<F: AccountFactsView>(at index: Int, _ account: F) -> Bool {
        Self.holds(AccountConditions<F>.self, at: index, account)
    }

    func index(of type: any RegisteredRule.Type) -> Int? { Self.index(of: type) }
}

/// The empty list.
struct NoRules: RuleList {
    static var count: Int { 0 }
    static func appendTypes(to types: inout [any RegisteredRule.Type]) {}
    @inline(__always)
    static func anyHolds<C: RuleCondition>(_ kind: C.Type, _ facts: C.Facts) -> Bool { false }
    @inline(__always)
    static func holds<C: RuleCondition>(_ kind: C.Type, at index: Int, _ facts: C.Facts) -> Bool { false }
    static func index(of type: any RegisteredRule.Type) -> Int? { nil }
}

/// The rules of `Earlier`, then `Last` (at index `Earlier.count`).
struct RuleListNode<Earlier: RuleList, Last: RegisteredRule>: RuleList {
    @inline(__always)
    static var count: Int { Earlier.count + 1 }

    static func appendTypes(to types: inout [any RegisteredRule.Type]) {
        Earlier.appendTypes(to: &types)
        types.append(Last.self)
    }

    @inline(__always)
    static func anyHolds<C: RuleCondition>(_ kind: C.Type, _ facts: C.Facts) -> Bool {
        Earlier.anyHolds(kind, facts) || C.holds(Last.self, facts)
    }

    @inline(__always)
    static func holds<C: RuleCondition>(_ kind: C.Type, at index: Int, _ facts: C.Facts) -> Bool {
        index == Earlier.count ? C.holds(Last.self, facts) : Earlier.holds(kind, at: index, facts)
    }

    static func index(of type: any RegisteredRule.Type) -> Int? {
        type == Last.self ? Earlier.count : Earlier.index(of: type)
    }
}
