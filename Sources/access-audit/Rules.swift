import AccessAuditKit
import ArgumentParser

extension AccessAudit {
    /// `access-audit rules`: the rule table.
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every rule with its severity and rationale.")

        func run() throws {
            try runMappingErrors {
                let width = (RuleRegistry.ids.map(\.count).max() ?? 0) + 2
                var text = ""
                for rule in RuleRegistry.all {
                    let description = rule.description
                    let id = description.id.padding(toLength: width, withPad: " ", startingAt: 0)
                    let severity = description.severity.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                    text += "\(id)\(severity)\(description.rationale)\n"
                }
                try StandardOutput.write(text)
                return 0
            }
        }
    }
}
