import AccessAuditKit
import ArgumentParser

/// The `--format` choices of a command that writes only some formats: `--help` lists exactly
/// these, and any other value is a usage error.
protocol CommandFormat: CaseIterable, ExpressibleByArgument, RawRepresentable<String> {
    var reportFormat: ReportFormat { get }
}

extension CommandFormat {
    /// This command's choice for a report format (a config's `format`, an `--output` extension),
    /// nil when it does not write that format.
    init?(_ format: ReportFormat) {
        self.init(rawValue: format.rawValue)
    }
}

/// The formats `exposure` and `timeline` write.
enum HistoryFormat: String, CommandFormat {
    case text, json, csv, markdown, html

    var reportFormat: ReportFormat {
        switch self {
        case .text: .text
        case .json: .json
        case .csv: .csv
        case .markdown: .markdown
        case .html: .html
        }
    }
}

/// The formats `diff` writes.
enum DiffFormat: String, CommandFormat {
    case text, json

    var reportFormat: ReportFormat { self == .json ? .json : .text }
}

/// Where and how `exposure`, `timeline` and `diff` write: their own format choice, one output,
/// and the settings file whose `format` they honour when it is one they write.
struct HistoryOutputOptions<Format: CommandFormat>: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Output format (default: the config's format when this command writes it, else the --output file's extension when it names one this command writes, else text)."
        ))
    var format: Format?

    @Option(
        help: ArgumentHelp(
            "Write to this file (atomically; - is standard output; never an input or a non-regular file).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Settings file (default: access-audit.yml in the current directory, if any).", valueName: "file"))
    var config: String?

    /// The format (as `audit` decides it: `--format`, the config's, the one `--output` file's
    /// extension, text; each only when this command writes it), and the settings file read (an
    /// input, which the output must not overwrite).
    func resolve() throws -> (format: ReportFormat, config: String?) {
        let settings = try AuditConfig.load(config)
        let configured = settings.format.flatMap { Format($0) }
        var named: Format?
        if let output, output != "-", case .report(let format)? = OutputKind(path: output) { named = Format(format) }
        return ((format ?? configured ?? named)?.reportFormat ?? .text, settings.path)
    }

    /// The output, checked against the files the run reads before anything is read, and the format.
    func target(inputs: [String?], databases: [String] = []) throws -> (target: OutputTarget, format: ReportFormat) {
        let (format, config) = try resolve()
        return (try OutputTarget(output, inputs: (inputs + [config]).compactMap { $0 }, databases: databases), format)
    }
}
