import AccessAuditKit
import ArgumentParser
import Foundation

/// A first argument that is no subcommand (`access-audit audt x.db`, `access-audit help nonsense`)
/// is a usage error (exit 64) that names it and suggests the closest subcommand, before
/// ArgumentParser would report "unexpected arguments" or, for `help`, print the root help and exit 0.
enum SubcommandCheck {
    /// The error line for `arguments` (without the program name), or nil when they start well.
    static func problem(_ arguments: [String], subcommands: [String]) -> String? {
        guard var name = arguments.first, !name.hasPrefix("-") else { return nil }
        if name == "help" {
            guard let asked = arguments.dropFirst().first, !asked.hasPrefix("-") else { return nil }
            name = asked
        }
        guard !subcommands.contains(name) else { return nil }
        let suggestion = NameSuggestion.closest(to: name, among: subcommands).map { " Did you mean '\($0)'?" } ?? ""
        return "Unknown subcommand '\(Escaping.terminal(name))'.\(suggestion) Subcommands: \(subcommands.joined(separator: ", "))."
    }
}

extension AccessAudit {
    static var subcommandNames: [String] {
        configuration.subcommands.map { $0._commandName }
    }

    /// Before ArgumentParser parses: an unknown subcommand is exit 64 with one error and a suggestion.
    static func checkSubcommand() {
        guard let problem = SubcommandCheck.problem(Array(CommandLine.arguments.dropFirst()), subcommands: subcommandNames) else { return }
        StandardError.write("Error: \(problem)\nUsage: access-audit <subcommand>\n  See 'access-audit --help' for more information.\n")
        Foundation.exit(ExitCode.validationFailure.rawValue)
    }
}
