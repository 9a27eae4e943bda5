import AccessAuditKit
import ArgumentParser

extension DossierDocument.Format: ExpressibleByArgument {}

/// Where and how `investigate` and `actors` write their dossier: one format, one output.
struct DossierOutputOptions: ParsableArguments {
    @Option(help: "Report format: text, json, markdown or html.")
    var format: DossierDocument.Format = .text

    @Option(
        help: ArgumentHelp(
            "Write the report to this file (atomically; - is standard output; a symlink is written through to its target; never an input or a non-regular file).",
            valueName: "file"))
    var output: String?

    /// The output, checked against the files the run reads before anything is read.
    func target(for source: SourceOptions) throws -> OutputTarget {
        try OutputTarget(output, inputs: [source.map].compactMap { $0 }, databases: [source.database])
    }
}
