@testable import AccessAuditKit
import Testing

/// Every example of every rule on every command and engine (regex-automata's `testdata/` run on
/// every engine): each example's final tables are also written as history, and `audit` (with that
/// history), `replay --as-of` and `exposure` must give the same findings of the rule, on the
/// reference path and the fast engine alike (`EveryEngine.check`).
struct RuleExampleEngineTests {
    @Test("Every rule example on every engine of audit, replay and exposure", arguments: RuleExampleTests.triggering + RuleExampleTests.nonTriggering)
    func everyEngine(_ testCase: RuleExampleTests.Case) throws {
        try EveryEngine.check(testCase.example.sql, rule: testCase.rule, count: testCase.triggers ? testCase.example.count : 0)
    }

    /// The examples whose tables cannot be history (they are history already, or a granted_at is
    /// not a valid instant, which a replayed grant's cannot be), by rule: a new example that
    /// cannot be replayed must be an honest exception, not a silent skip.
    @Test("The examples not expressed as history are only the history rules' and invalid granted_at values")
    func expressible() throws {
        var skipped: [String: Int] = [:]
        var expressed = 0
        for testCase in RuleExampleTests.triggering + RuleExampleTests.nonTriggering {
            let connection = try Fixture.database(testCase.example.sql, base: true)
            if try EveryEngine.notExpressible(connection, now: RuleExample.now) != nil {
                skipped[testCase.rule, default: 0] += 1
            } else {
                expressed += 1
            }
        }
        #expect(Set(skipped.keys).isSubset(of: ["history-mismatch", "invalid-event", "invalid-timestamp"]), "\(skipped)")
        #expect((skipped["invalid-timestamp"] ?? 0) <= 6, "\(skipped)")
        #expect(expressed >= 90, "\(expressed) expressed, skipped \(skipped)")
        // Every rule judged on grants or accounts has a triggering example that runs as history.
        for rule in StateRule.list.map(\.id) + ["inactive-account-access", "unauditable-grant"] {
            let replayable = try RuleExampleTests.triggering.filter { $0.rule == rule }.contains {
                try EveryEngine.notExpressible(Fixture.database($0.example.sql, base: true), now: RuleExample.now) == nil
            }
            #expect(replayable, "\(rule)")
        }
    }

    /// The fast engine hands a grant (or account) to the rules when any rule's condition holds, so
    /// an example whose grant also breaks another rule cannot show that an engine forgot this one.
    @Test("Every grant and account rule has a replayable triggering example in which it alone finds something about its grant or account")
    func isolated() throws {
        for rule in StateRule.list.map(\.id) + AccountStateRule.list.map(\.id) {
            var alone = false
            for testCase in RuleExampleTests.triggering where testCase.rule == rule {
                let connection = try Fixture.database(testCase.example.sql, base: true)
                guard try EveryEngine.notExpressible(connection, now: RuleExample.now) == nil else { continue }
                let findings = try DatabaseAudit.runReference(connection, database: "db", options: AuditOptions(now: RuleExample.now)).findings
                alone = alone || findings.contains { finding in
                    finding.rule == rule && findings.allSatisfy { other in
                        other.rule == rule
                            || (finding.grantID.map { other.grantID != $0 } ?? !ExactText.equal(other.accountID, finding.accountID))
                    }
                }
            }
            #expect(alone, "\(rule)")
        }
    }
}
