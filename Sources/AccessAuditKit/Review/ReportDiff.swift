/// `access-audit diff OLD.json NEW.json`: what changed between two runs, matched on finding keys
/// and subjects (a key whose subject changed is new, and listed as such).
public struct ReportDiff: Sendable {
    public var new: [BaselineFinding]
    public var persisting: [BaselineFinding]
    public var resolved: [BaselineFinding]
    /// Keys of `new` findings that were in the old report with another subject.
    public var subjectChanged: Set<String>
    /// What the reader should know before trusting the comparison (e.g. reports of other databases).
    public var notes: [String]

    public init(old: Baseline, new current: Baseline) {
        var before: [String: BaselineFinding] = [:]
        for finding in old.findings where before[finding.key] == nil { before[finding.key] = finding }
        let after = Set(current.findings.map(\.key))
        var new: [BaselineFinding] = []
        var persisting: [BaselineFinding] = []
        var changed = Set<String>()
        for finding in current.findings {
            guard let earlier = before[finding.key] else {
                new.append(finding)
                continue
            }
            if let subject = finding.subject, earlier.subjectChanged(to: subject) {
                new.append(finding)
                changed.insert(finding.key)
            } else {
                persisting.append(finding)
                if BaselineChange.counts(isNew: false, waivedNow: finding.waived, heededBefore: old.heeded(earlier)) { lapsed.insert(finding.key) }
            }
        }
        self.new = new
        self.persisting = persisting
        resolved = old.findings.filter { !after.contains($0.key) }
        subjectChanged = changed
        notes = old.originNotes(database: current.database, files: current.runFiles.isEmpty ? nil : current.runFiles)
        if !lapsed.isEmpty {
            notes.append("\(lapsed.count) persisting finding\(lapsed.count == 1 ? " was" : "s were") waived in \(old.path ?? "the old report") or below its run's fail_on, and \(lapsed.count == 1 ? "is" : "are") not waived now: counted as new for the exit status.")
        }
        if !changed.isEmpty {
            notes.append("\(changed.count) finding\(changed.count == 1 ? " is" : "s are") new although the key was in \(old.path ?? "the old report"): the subject changed.")
        }
    }

    /// Keys of `persisting` findings that could not decide the old report's verdict (waived there,
    /// or below its run's `fail_on`: `Baseline.heeded`) and are not waived in the new.
    public var lapsed: Set<String> = []

    /// 1 when a finding at or above the threshold counts as new (`BaselineChange.counts`: new and
    /// not waived, or persisting and unheeded in the old report: a lapsed waiver, a threshold or
    /// severity that reaches it now), else 0.
    public func exitStatus(failOn: FailThreshold) -> Int32 {
        let failing = new.filter { !$0.waived } + persisting.filter { lapsed.contains($0.key) }
        return failing.contains { $0.severity.map(failOn.fails) ?? false } ? 1 : 0
    }

    public func render(format: ReportFormat, old: String, new newPath: String) -> String {
        switch format {
        case .json:
            let newFindings = new.map { finding -> JSONValue in
                guard subjectChanged.contains(finding.key), case .object(let members) = JSONRenderer.resolved(finding) else {
                    return JSONRenderer.resolved(finding)
                }
                return .object(members + [("subject_changed", .bool(true))])
            }
            return JSONValue.object([
                ("schema_version", .int(JSONRenderer.schemaVersion)), ("command", .string("diff")), ("old", .string(old)),
                ("new", .string(newPath)), ("notes", .array(notes.map { .string($0) })), ("new_findings", .array(newFindings)),
                ("persisting", .array(persisting.map(JSONRenderer.resolved))), ("resolved", .array(resolved.map(JSONRenderer.resolved))),
            ]).serialized(pretty: true) + "\n"
        default:
            let safe = Escaping.terminal
            var lines = ["access-audit diff \(safe(old)) -> \(safe(newPath))"]
            lines += notes.map { "note: " + safe($0) }
            lines += ["\(new.count) new, \(persisting.count) persisting, \(resolved.count) resolved", ""]
            for (title, list) in [("NEW", new), ("RESOLVED", resolved)] where !list.isEmpty {
                lines.append("\(title):")
                for finding in list {
                    let mark = title == "NEW" && subjectChanged.contains(finding.key) ? " (subject changed)" : ""
                    lines.append("  [\(finding.severity?.rawValue.uppercased() ?? "?")] \(safe(finding.key))\(mark)  \(safe(finding.message))")
                }
                lines.append("")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
