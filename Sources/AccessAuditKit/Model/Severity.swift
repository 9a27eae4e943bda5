/// How serious a finding is. Ordered: `info` < `low` < `medium` < `high` < `critical`.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    case info, low, medium, high, critical

    /// 0 for `info` up to 4 for `critical`.
    public var rank: Int {
        switch self {
        case .info: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The `--fail-on` threshold: a severity, or `none` (never fail on findings).
public enum FailThreshold: String, Sendable, CaseIterable {
    case critical, high, medium, low, info, none

    /// The lowest severity that fails the run, or nil for `none`.
    public var severity: Severity? { Severity(rawValue: rawValue) }

    /// Whether a finding of `severity` makes the run fail.
    public func fails(_ severity: Severity) -> Bool {
        guard let threshold = self.severity else { return false }
        return severity >= threshold
    }
}
