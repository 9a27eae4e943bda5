import AccessAuditKit
import Foundation
import Testing

struct OtherCommandTests {
    @Test func rulesListsEveryRule() throws {
        let result = try CLI.run(["rules"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == RuleRegistry.all.count)
        for (line, rule) in zip(lines, RuleRegistry.all) {
            #expect(line.hasPrefix(rule.description.id + " "))
            #expect(line.contains(rule.description.severity.rawValue))
            #expect(line.hasSuffix(rule.description.rationale))
        }
    }

    @Test func schemaPrintsSchemaSQL() throws {
        let result = try CLI.run(["schema"])
        #expect(result.status == 0)
        #expect(result.stdout == (try String(contentsOf: CLI.root.appendingPathComponent("schema.sql"), encoding: .utf8)))
    }

    @Test func version() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == AccessAuditKit.version)
    }
}
