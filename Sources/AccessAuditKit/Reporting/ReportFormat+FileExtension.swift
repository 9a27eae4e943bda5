/// What one `--output FILE` writes, taken from the file's name when several are given.
package enum OutputKind: Sendable, Equatable {
    case report(ReportFormat)
    /// `.prom`: the Prometheus metrics (as `--metrics`).
    case metrics

    /// The kind for a file name's extension (ASCII case ignored), nil when it names none.
    /// `.xml` is JUnit (the only XML format); `.prom` is metrics, not a report.
    package init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "json": self = .report(.json)
        case "ndjson", "jsonl": self = .report(.ndjson)
        case "csv": self = .report(.csv)
        case "md", "markdown": self = .report(.markdown)
        case "html", "htm": self = .report(.html)
        case "txt", "text": self = .report(.text)
        case "xml": self = .report(.junit)
        case "prom": self = .metrics
        default: return nil
        }
    }

    /// The extensions `init(path:)` knows, for messages.
    package static let extensions = ".json, .ndjson, .csv, .md, .html, .txt, .xml (junit), .prom (metrics)"
}
