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

    /// When shared/CONTRACT.md is beside the checkout (as in CI), its rule table is the list.
    @Test func idsMatchSharedContractFile() throws {
        let url = Fixture.root.deletingLastPathComponent().appendingPathComponent("shared/CONTRACT.md")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return }
        let ids = text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            return line.split(separator: "`").dropFirst().first.map(String.init)
        }
        #expect(ids == RegistryTests.contractIDs)
    }

    @Test func everyRuleHasARationale() {
        for rule in RuleRegistry.all {
            #expect(!rule.description.rationale.isEmpty)
        }
    }
}
