/// `access-audit diff OLD.json NEW.json`: what changed between two runs, matched on finding keys.
public struct ReportDiff: Sendable {
    public var new: [BaselineFinding]
    public var persisting: [BaselineFinding]
    public var resolved: [BaselineFinding]

    public init(old: Baseline, new current: Baseline) {
        let before = Set(old.findings.map(\.key))
        let after = Set(current.findings.map(\.key))
        new = current.findings.filter { !before.contains($0.key) }
        persisting = current.findings.filter { before.contains($0.key) }
        resolved = old.findings.filter { !after.contains($0.key) }
    }

    /// 1 when a new finding is at or above the threshold, else 0.
    public func exitStatus(failOn: FailThreshold) -> Int32 {
        new.contains { $0.severity.map(failOn.fails) ?? false } ? 1 : 0
    }

    public func render(format: ReportFormat, old: String, new newPath: String) -> String {
        switch format {
        case .json:
            return JSONValue.object([
                ("schema_version", .int(JSONRenderer.schemaVersion)), ("command", .string("diff")), ("old", .string(old)),
                ("new", .string(newPath)), ("new_findings", .array(new.map(JSONRenderer.resolved))),
                ("persisting", .array(persisting.map(JSONRenderer.resolved))), ("resolved", .array(resolved.map(JSONRenderer.resolved))),
            ]).serialized(pretty: true) + "\n"
        default:
            let safe = Escaping.terminal
            var lines = [
                "access-audit diff \(safe(old)) -> \(safe(newPath))",
                "\(new.count) new, \(persisting.count) persisting, \(resolved.count) resolved", "",
            ]
            for (title, list) in [("NEW", new), ("RESOLVED", resolved)] where !list.isEmpty {
                lines.append("\(title):")
                for finding in list {
                    lines.append("  [\(finding.severity?.rawValue.uppercased() ?? "?")] \(safe(finding.key))  \(safe(finding.message))")
                }
                lines.append("")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
