/// The report formats of `--format`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, ndjson, csv, markdown, html, junit

    /// The formats `exposure` and `timeline` write (their `--format` lists exactly these).
    public static let historyFormats: [ReportFormat] = [.text, .json, .csv, .markdown, .html]
}

/// How a report is rendered beyond its content.
public struct RenderContext: Sendable {
    public var failOn: FailThreshold
    /// ANSI colours (only for a terminal).
    public var colour: Bool
    /// `--fail-on-new`: only new (unwaived) findings decide the verdict.
    public var onlyNew: Bool

    public init(failOn: FailThreshold = .high, colour: Bool = false, onlyNew: Bool = false) {
        self.failOn = failOn
        self.colour = colour
        self.onlyNew = onlyNew
    }
}

/// Turns a report into the text of one format, streamed into a sink.
public protocol ReportRenderer {
    func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws
}

extension ReportRenderer {
    /// The whole report as one String (tests, small reports).
    public func render(_ report: AuditReport, context: RenderContext) -> String {
        var sink = ReportSink()
        try? render(report, context: context, to: &sink)
        return sink.text
    }
}

extension ReportFormat {
    /// The renderer for this format.
    public var renderer: any ReportRenderer {
        switch self {
        case .text: TextRenderer()
        case .json: JSONRenderer()
        case .ndjson: NDJSONRenderer()
        case .csv: CSVRenderer()
        case .markdown: MarkdownRenderer()
        case .html: HTMLRenderer()
        case .junit: JUnitRenderer()
        }
    }
}
