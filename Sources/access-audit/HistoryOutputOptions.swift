import AccessAuditKit
import ArgumentParser

/// The formats `exposure`, `timeline` and `diff` write: `--help` lists exactly these, and any
/// other value is a usage error.
enum HistoryFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json

    var reportFormat: ReportFormat { self == .json ? .json : .text }
}

/// Where and how `exposure`, `timeline` and `diff` write: their own format choice, one output,
/// and the settings file whose `format` they honour when it is one they write.
struct HistoryOutputOptions: ParsableArguments {
    @Option(help: "Output format (default: text, or the config's format when it is text or json).")
    var format: HistoryFormat?

    @Option(
        help: ArgumentHelp(
            "Write to this file (atomically; - is standard output; never an input or a non-regular file).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Settings file (default: access-audit.yml in the current directory, if any).", valueName: "file"))
    var config: String?

    /// The format, and the settings file read (an input, which the output must not overwrite).
    func resolve() throws -> (format: ReportFormat, config: String?) {
        let settings = try AuditConfig.load(config)
        if let format { return (format.reportFormat, settings.path) }
        let configured = settings.format.flatMap { HistoryFormat(rawValue: $0.rawValue) }
        return ((configured ?? .text).reportFormat, settings.path)
    }

    /// The output, checked against the files the run reads before anything is read, and the format.
    func target(inputs: [String?], databases: [String] = []) throws -> (target: OutputTarget, format: ReportFormat) {
        let (format, config) = try resolve()
        return (try OutputTarget(output, inputs: (inputs + [config]).compactMap { $0 }, databases: databases), format)
    }
}
