/// The outcome of one audit: what was read, when, and what was found.
public struct AuditReport: Sendable {
    /// `audit` or `replay`.
    public var command: String
    /// The database as the user named it.
    public var database: String
    public var now: Timestamp
    /// Rows read from `accounts` and `grants` (or, on replay, accounts and grants in the state).
    public var accounts: Int
    public var grants: Int
    public var findings: [Finding]
    /// Things the reader should know that are not findings (e.g. history checks skipped).
    public var notes: [String]
    /// Waivers that matched no finding (nil when no waivers file was given).
    public var staleWaivers: [Waiver]?
    /// Findings of the baseline that are gone (nil when no baseline was given).
    public var resolved: [BaselineFinding]?
    /// Versions, file fingerprints and settings (set by the command line).
    public var metadata: RunMetadata?

    public init(
        command: String, database: String, now: Timestamp, accounts: Int, grants: Int,
        findings: [Finding], notes: [String] = []
    ) {
        self.command = command
        self.database = database
        self.now = now
        self.accounts = accounts
        self.grants = grants
        self.findings = findings
        self.notes = notes
        // One place for every command and engine: no two findings of a report share a key.
        FindingKey.makeUnique(&self.findings)
    }

    /// Findings per rule id, every rule listed (zeros included).
    public var findingsByRule: [(rule: String, count: Int)] {
        var counts: [String: Int] = [:]
        for finding in findings { counts[finding.rule, default: 0] += 1 }
        return RuleRegistry.ids.map { ($0, counts[$0] ?? 0) }
    }

    /// Findings per severity, highest first.
    public var findingsBySeverity: [(severity: Severity, count: Int)] {
        Severity.allCases.reversed().map { severity in (severity, findings.count { $0.severity == severity }) }
    }

    /// The exit status the contract gives this report: 1 when a finding is at or above the
    /// threshold, else 0. Waived findings never count; with `onlyNew`, only new ones do.
    public func exitStatus(failOn: FailThreshold, onlyNew: Bool = false) -> Int32 {
        findings.contains { counts($0, failOn: failOn, onlyNew: onlyNew) } ? 1 : 0
    }

    /// Whether a finding counts toward the exit status.
    public func counts(_ finding: Finding, failOn: FailThreshold, onlyNew: Bool = false) -> Bool {
        failOn.fails(finding.severity) && finding.waiver?.state != .waived && (!onlyNew || finding.change == .new)
    }
}
