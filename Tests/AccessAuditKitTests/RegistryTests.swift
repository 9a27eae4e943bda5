import AccessAuditKit
import Foundation
import Testing

struct RegistryTests {
    /// The rule ids of CONTRACT.md §3, in its order.
    static let contractIDs = [
        "level-exceeds-policy", "invalid-policy", "scope-outside-remit", "missing-approval", "self-approved",
        "unauditable-grant", "history-mismatch", "expired-grant", "inactive-account-access", "invalid-timestamp",
        "invalid-event", "dormant-account", "duplicate-grant", "above-default-level",
    ]

    @Test func idsAreUnique() {
        #expect(Set(RuleRegistry.ids).count == RuleRegistry.ids.count)
    }

    @Test func idsMatchTheContractInOrder() {
        #expect(RuleRegistry.ids == RegistryTests.contractIDs)
    }

    @Test("Severities match the contract's table")
    func severities() {
        let expected: [String: Severity] = [
            "level-exceeds-policy": .critical, "invalid-policy": .critical, "scope-outside-remit": .high,
            "missing-approval": .high, "self-approved": .high, "unauditable-grant": .high, "history-mismatch": .high,
            "expired-grant": .medium, "inactive-account-access": .medium, "invalid-timestamp": .medium,
            "invalid-event": .medium, "dormant-account": .low, "duplicate-grant": .low, "above-default-level": .info,
        ]
        for rule in RuleRegistry.all {
            #expect(expected[rule.description.id] == rule.description.severity, "\(rule.description.id)")
        }
    }

    /// The rows of the rule table of a contract's §3 (`| `id` | severity | ...`): id and severity.
    static func ruleTable(_ text: String) -> [(id: String, severity: String)] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let section = lines.drop { !$0.hasPrefix("## 3.") }.dropFirst().prefix { !$0.hasPrefix("## ") }
        return section.compactMap { line in
            guard line.hasPrefix("| `") else { return nil }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { return nil }
            return (cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")), cells[1])
        }
    }

    /// The project's own specification: its §3 table is the registry, ids, order and severities.
    @Test func registryMatchesDocsContract() throws {
        let text = try String(contentsOf: Fixture.root.appendingPathComponent("docs/CONTRACT.md"), encoding: .utf8)
        let table = RegistryTests.ruleTable(text)
        #expect(table.map(\.id) == RuleRegistry.ids)
        #expect(table.map(\.severity) == RuleRegistry.all.map(\.description.severity.rawValue))
    }

    /// The parser above reads a changed severity as a change (so the test above can fail).
    @Test func ruleTableParserSeesSeverities() {
        let table = RegistryTests.ruleTable("## 3. Rules\n| `a-rule` | high | grant | x |\n| rule | severity |\n| `b` | low | y |\n## 4. Other\n| `c` | info |")
        #expect(table.map(\.id) == ["a-rule", "b"])
        #expect(table.map(\.severity) == ["high", "low"])
    }

    /// When shared/CONTRACT.md is beside the checkout (as in CI), its rule table is docs/CONTRACT.md's.
    @Test func docsContractMatchesSharedContractFile() throws {
        let url = Fixture.root.deletingLastPathComponent().appendingPathComponent("shared/CONTRACT.md")
        guard let shared = try? String(contentsOf: url, encoding: .utf8) else { return }
        let ours = try String(contentsOf: Fixture.root.appendingPathComponent("docs/CONTRACT.md"), encoding: .utf8)
        let sharedTable = RegistryTests.ruleTable(shared), ourTable = RegistryTests.ruleTable(ours)
        #expect(sharedTable.map(\.id) == ourTable.map(\.id))
        #expect(sharedTable.map(\.severity) == ourTable.map(\.severity))
    }

    @Test func everyRuleHasARationale() {
        for rule in RuleRegistry.all {
            #expect(!rule.description.rationale.isEmpty)
        }
    }
}
