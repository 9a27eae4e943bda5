@testable import AccessAuditKit
import Testing

/// The lists every engine evaluates (`StateRule.list`, `AccountStateRule.list`) are the grant and
/// account rules of the registry's one list, each with its own condition: a rule of the list
/// without one would be judged by the reference path and by no fast engine.
struct RuleListTests {
    @Test("Every grant rule of the registry is a StateRule, with its own id and condition")
    func grantRules() {
        let inRegistry = RuleRegistry.all.filter { $0 is any GrantRule }.map(\.description.id)
        #expect(inRegistry == StateRule.list.map(\.id))
        #expect(RuleRegistry.grantRules.map(\.description.id) == inRegistry)
        for rule in StateRule.list {
            #expect(rule.rule.description.id == rule.id)
            #expect(rule.rule is any GrantCondition, "\(rule.id)")
            #expect(StateRule(rawValue: rule.id) == rule)
        }
        #expect(Exposure.rules == ["level-exceeds-policy", "above-default-level", "scope-outside-remit", "missing-approval", "self-approved"])
    }

    @Test("Every account rule of the registry is an AccountStateRule, with its own id and condition")
    func accountRules() {
        let inRegistry = RuleRegistry.all.filter { $0 is any AccountRule }.map(\.description.id)
        #expect(inRegistry == AccountStateRule.list.map(\.id))
        #expect(RuleRegistry.accountRules.map(\.description.id) == inRegistry)
        for rule in AccountStateRule.list {
            #expect(rule.rule.description.id == rule.id)
            #expect(rule.rule is any AccountCondition, "\(rule.id)")
        }
    }

    @Test("The list names each rule type once; a rule's index is its place in RuleRegistry.all")
    func oneList() {
        let types = RuleRegistry.list.types
        #expect(types.count == RuleRegistry.all.count)
        for (index, type) in types.enumerated() {
            #expect(RuleRegistry.list.index(of: type) == index, "\(type)")
            #expect(RuleRegistry.id(of: type) == RuleRegistry.all[index].description.id)
            #expect(Swift.type(of: RuleRegistry.all[index]) == type)
        }
        #expect(StateRule(InvalidPolicy.self) == nil)
        #expect(AccountStateRule(SelfApproved.self) == nil)
        #expect(StateRule(InvalidTimestamp.self)?.id == "invalid-timestamp")
        #expect(AccountStateRule(InvalidTimestamp.self)?.id == "invalid-timestamp")
    }

    @Test("exposure follows grant rules only, each at its own place")
    func exposureOrders() {
        let orders = RuleRegistry.list.types.compactMap { $0.exposureOrder }
        #expect(orders.sorted() == Array(0..<orders.count))
        for type in RuleRegistry.list.types where type.exposureOrder != nil {
            #expect(StateRule(type) != nil, "\(type)")
        }
        #expect(StateRule.exposed.map(\.id) == Exposure.rules)
    }

    @Test("Each rule's condition reads the facts it names: one fact changed, one rule changes")
    func conditions() throws {
        let policy = Policy(orgType: "t", defaultLevel: "d", defaultRank: 10, maxLevel: "m", maxRank: 20, requiresApproval: true)
        let now = Timestamp(seconds: 1_000)
        let clean = FastState.Facts(
            rank: 10, policy: policy, scope: .inRemit, approver: .someoneElse, expires: .valid(Timestamp(seconds: 2_000)),
            grantedAtValid: true, isDuplicate: false, now: now)
        #expect(!StateRule.anyHolds(clean))
        var changes: [(StateRule?, FastState.Facts)] = []
        func change(_ type: any RegisteredRule.Type, _ body: (inout FastState.Facts) -> Void) {
            var facts = clean
            body(&facts)
            changes.append((StateRule(type), facts))
        }
        change(LevelExceedsPolicy.self) { $0.levelRank = 21 }
        change(AboveDefaultLevel.self) { $0.levelRank = 15 }
        change(ScopeOutsideRemit.self) { $0.scope = .outsideRemit }
        change(MissingApproval.self) { $0.approver = .blank }
        change(SelfApproved.self) { $0.approver = .username }
        change(ExpiredGrant.self) { $0.expires = .valid(now) }
        change(InvalidTimestamp.self) { $0.expires = .invalid }
        change(DuplicateGrant.self) { $0.isDuplicate = true }
        #expect(changes.allSatisfy { $0.0 != nil })
        #expect(Set(changes.compactMap(\.0)) == Set(StateRule.list))
        for (rule, facts) in changes {
            let rule = try #require(rule)
            #expect(StateRule.list.filter { $0.holds(facts) } == [rule], "\(rule.id)")
            #expect(StateRule.anyHolds(facts), "\(rule.id)")
        }
    }

    @Test("Each account rule's condition reads the facts it names")
    func accountConditions() throws {
        let clean = FastState.AccountFlags(flags: FastState.Account.Flag.active, auditableGrants: 1, current: true)
        #expect(!AccountStateRule.anyHolds(clean))
        let changes: [(AccountStateRule?, FastState.AccountFlags)] = [
            (AccountStateRule(InactiveAccountAccess.self), .init(flags: 0, auditableGrants: 1, current: true)),
            (AccountStateRule(InvalidTimestamp.self), .init(flags: FastState.Account.Flag.active | FastState.Account.Flag.badTimestamp, auditableGrants: 1, current: true)),
            (AccountStateRule(DormantAccount.self), .init(flags: FastState.Account.Flag.active | FastState.Account.Flag.dormant, auditableGrants: 1, current: true)),
        ]
        #expect(Set(changes.compactMap(\.0)) == Set(AccountStateRule.list))
        for (rule, flags) in changes {
            let rule = try #require(rule)
            #expect(AccountStateRule.list.filter { $0.holds(flags) } == [rule], "\(rule.id)")
            #expect(AccountStateRule.anyHolds(flags), "\(rule.id)")
        }
    }
}
