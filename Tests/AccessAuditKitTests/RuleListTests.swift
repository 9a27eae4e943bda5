@testable import AccessAuditKit
import Testing

/// The lists every engine evaluates (`StateRule`, `AccountStateRule`) are the registry's rules:
/// a grant or account rule in `RuleRegistry.all` that is not in them would be judged by no engine.
struct RuleListTests {
    @Test("Every grant rule of the registry is a StateRule, with its own id and condition")
    func grantRules() {
        let inRegistry = RuleRegistry.all.filter { $0 is any GrantRule }.map(\.description.id)
        #expect(Set(inRegistry) == Set(StateRule.allCases.map(\.id)))
        for rule in StateRule.allCases {
            #expect(rule.rule.description.id == rule.id)
            #expect(rule.rule is any GrantCondition, "\(rule.id)")
        }
        #expect(Exposure.rules == ["level-exceeds-policy", "above-default-level", "scope-outside-remit", "missing-approval", "self-approved"])
    }

    @Test("Every account rule of the registry is an AccountStateRule, with its own id and condition")
    func accountRules() {
        let inRegistry = RuleRegistry.all.filter { $0 is any AccountRule }.map(\.description.id)
        #expect(Set(inRegistry) == Set(AccountStateRule.allCases.map(\.id)))
        for rule in AccountStateRule.allCases {
            #expect(rule.rule.description.id == rule.id)
            #expect(rule.rule is any AccountCondition, "\(rule.id)")
        }
    }

    @Test("Each rule's condition reads the facts it names: one fact changed, one rule changes")
    func conditions() {
        let policy = Policy(orgType: "t", defaultLevel: "d", defaultRank: 10, maxLevel: "m", maxRank: 20, requiresApproval: true)
        let now = Timestamp(seconds: 1_000)
        let clean = FastState.Facts(
            rank: 10, policy: policy, scope: .inRemit, approver: .someoneElse, expires: .valid(Timestamp(seconds: 2_000)),
            grantedAtValid: true, isDuplicate: false, now: now)
        #expect(!StateRule.anyHolds(clean))
        var changes: [(StateRule, FastState.Facts)] = []
        var facts = clean
        facts.levelRank = 21
        changes.append((.levelExceedsPolicy, facts))
        facts = clean
        facts.levelRank = 15
        changes.append((.aboveDefaultLevel, facts))
        facts = clean
        facts.scope = .outsideRemit
        changes.append((.scopeOutsideRemit, facts))
        facts = clean
        facts.approver = .blank
        changes.append((.missingApproval, facts))
        facts = clean
        facts.approver = .username
        changes.append((.selfApproved, facts))
        facts = clean
        facts.expires = .valid(now)
        changes.append((.expiredGrant, facts))
        facts = clean
        facts.expires = .invalid
        changes.append((.invalidTimestamp, facts))
        facts = clean
        facts.isDuplicate = true
        changes.append((.duplicateGrant, facts))
        #expect(Set(changes.map(\.0)) == Set(StateRule.allCases))
        for (rule, facts) in changes {
            #expect(StateRule.allCases.filter { $0.holds(facts) } == [rule], "\(rule.id)")
        }
    }
}
