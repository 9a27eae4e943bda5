import AccessAuditKit
import Testing

/// One generic test runs every rule's examples (SwiftLint's pattern): each triggering example must
/// give exactly its count of that rule's findings, each non-triggering one none.
struct RuleExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rule: String
        let example: RuleExample
        let triggers: Bool
        var testDescription: String { "\(rule) \(triggers ? "fires" : "quiet"): \(example.note)" }
    }

    static let triggering: [Case] = RuleRegistry.all.flatMap { rule in
        rule.description.triggeringExamples.map { Case(rule: rule.description.id, example: $0, triggers: true) }
    }

    static let nonTriggering: [Case] = RuleRegistry.all.flatMap { rule in
        rule.description.nonTriggeringExamples.map { Case(rule: rule.description.id, example: $0, triggers: false) }
    }

    @Test("Triggering examples fire", arguments: triggering)
    func fires(_ testCase: Case) throws {
        let report = try Fixture.audit(testCase.example.sql)
        let found = Fixture.findings(testCase.rule, in: report)
        #expect(found.count == testCase.example.count, "\(report.findings.map(\.key))")
    }

    @Test("Non-triggering examples stay quiet", arguments: nonTriggering)
    func quiet(_ testCase: Case) throws {
        let report = try Fixture.audit(testCase.example.sql)
        #expect(Fixture.findings(testCase.rule, in: report).isEmpty, "\(report.findings.map(\.key))")
    }

    @Test("Every rule has examples both ways")
    func everyRuleHasExamples() {
        for rule in RuleRegistry.all {
            #expect(!rule.description.triggeringExamples.isEmpty, "\(rule.description.id)")
            #expect(!rule.description.nonTriggeringExamples.isEmpty, "\(rule.description.id)")
        }
    }

    @Test("The base fixture alone gives no finding")
    func baseIsClean() throws {
        let report = try Fixture.audit("")
        #expect(report.findings.isEmpty, "\(report.findings.map(\.key))")
        #expect(report.accounts == 6)
        #expect(report.grants == 0)
    }
}
