/// A finding's own history across runs (`--baseline`, `--history-dir`; CONTRACT.md §5.10): the
/// `now` of the run it was first seen in, and how many consecutive runs, this one included, have
/// seen it. A finding that leaves and comes back starts again: it keeps its first sighting only
/// if it never left. "The same finding" is the baseline's own matching (`AuditReport.compare`):
/// the same key, and for a baseline with subjects the same subject.
public struct FindingHistory: Sendable, Hashable {
    public var firstSeen: Timestamp
    public var runsSeen: Int

    public init(firstSeen: Timestamp, runsSeen: Int) {
        self.firstSeen = firstSeen
        self.runsSeen = runsSeen
    }

    /// A finding seen for the first time in the run at `now`.
    static func new(at now: Timestamp) -> FindingHistory {
        FindingHistory(firstSeen: Timestamp(seconds: now.seconds), runsSeen: 1)
    }

    /// The history the next run gives a finding the previous run recorded with this one.
    var continued: FindingHistory {
        FindingHistory(firstSeen: firstSeen, runsSeen: runsSeen == Int.max ? runsSeen : runsSeen + 1)
    }

    /// Whole days between the first sighting and `now`.
    public func openDays(at now: Timestamp) -> Int64 {
        max(0, (now.seconds - firstSeen.seconds) / 86_400)
    }

    /// "5 days", "1 day" or "less than a day": how long the finding has been open at `now`.
    public func openFor(at now: Timestamp) -> String {
        let days = openDays(at: now)
        return days == 0 ? "less than a day" : days == 1 ? "1 day" : "\(days) days"
    }

    /// The line text, Markdown and HTML show: "open 5 days (first seen …, 6 consecutive runs)".
    public func summary(at now: Timestamp) -> String {
        "open \(openFor(at: now)) (first seen \(firstSeen), \(runsSeen == 1 ? "first run" : "\(runsSeen) consecutive runs"))"
    }

    /// A `first_seen` as a report writes it (`YYYY-MM-DDTHH:MM:SSZ`, whole seconds), nil for any
    /// other text: a report read back must hold what this tool writes.
    static func parseFirstSeen(_ text: String) -> Timestamp? {
        guard let instant = Timestamp(text), instant.fraction.isEmpty, instant.description == text else { return nil }
        return instant
    }
}

extension AuditReport {
    /// Whether the findings carry their history (a baseline or history directory was compared).
    public var tracksHistory: Bool { resolved != nil }

    /// Within each severity, new findings first, then by how long open (most recent first
    /// sighting first, then fewest runs), then the audit's own order: a stable sort, so equal
    /// findings keep the deterministic order (CONTRACT.md §5.10).
    mutating func sortNewFirst() {
        let order = findings.indices.sorted { i, j in
            let a = findings[i], b = findings[j]
            if a.severity != b.severity { return a.severity.rank > b.severity.rank }
            let newA = a.change == .new, newB = b.change == .new
            if newA != newB { return newA }
            if let x = a.history, let y = b.history {
                if x.firstSeen != y.firstSeen { return x.firstSeen > y.firstSeen }
                if x.runsSeen != y.runsSeen { return x.runsSeen < y.runsSeen }
            }
            return i < j
        }
        findings = order.map { findings[$0] }
    }
}
