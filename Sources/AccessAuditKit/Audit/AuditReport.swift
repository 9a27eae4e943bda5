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
    /// Things the reader should know that are not findings (e.g. a baseline of another database).
    public var notes: [String]
    /// Every rule of CONTRACT.md §3 that did not run, with why (no history tables, not part of
    /// `replay`, disabled by configuration). Such a rule is never counted as 0 (§5 `not_checked`).
    public var notChecked: [(rule: String, why: String)]
    /// The configuration that shaped the report: its file, disabled rules, severity overrides.
    public var configuration = ConfigurationStatement()
    /// Waivers that matched no finding (nil when no waivers file was given).
    public var staleWaivers: [Waiver]?
    /// Findings of the baseline that are gone (nil when no baseline was given).
    public var resolved: [BaselineFinding]?
    /// Which history logs have rows (nil when the report was not read from a database). The
    /// remediation script logs its changes only when `grant_events` has rows.
    package var history: EventReader.Logs?
    /// Versions, file fingerprints and settings (set by the command line).
    public var metadata: RunMetadata?

    public init(
        command: String, database: String, now: Timestamp, accounts: Int, grants: Int,
        findings: [Finding], notes: [String] = [], notChecked: [(rule: String, why: String)] = []
    ) {
        self.command = command
        self.database = database
        self.now = now
        self.accounts = accounts
        self.grants = grants
        self.findings = findings
        self.notes = notes
        self.notChecked = notChecked
        // One place for every command and engine: no two findings of a report share a key.
        FindingKey.makeUnique(&self.findings)
    }

    /// Findings per rule id, every rule that ran listed (zeros included); the rules that did not
    /// run are in `notChecked` instead.
    public var findingsByRule: [(rule: String, count: Int)] {
        var counts: [String: Int] = [:]
        for finding in findings { counts[finding.rule, default: 0] += 1 }
        let skipped = Set(notChecked.map(\.rule))
        return RuleRegistry.ids.filter { !skipped.contains($0) }.map { ($0, counts[$0] ?? 0) }
    }

    /// What every format states at its top, one line each: the configuration used, each disabled
    /// rule and severity override, each rule not checked, then the notes.
    public var statements: [String] {
        var lines = [configuration.path.map { "configuration: \($0)" } ?? "configuration: none (built-in defaults)"]
        for rule in configuration.disabledRules {
            lines.append("rule disabled by the configuration: \(rule) (its findings are not reported)")
        }
        for (rule, severity) in configuration.severityOverrides {
            let contract = RuleRegistry.description(of: rule)?.severity.rawValue ?? "?"
            lines.append("severity changed by the configuration: \(rule) \(contract) -> \(severity.rawValue)")
        }
        let disabled = Set(configuration.disabledRules)
        for (rule, why) in notChecked where !disabled.contains(rule) { lines.append("not checked: \(rule): \(why)") }
        return lines + notes
    }

    /// `pass` or `fail`, as the exit status decides.
    public func verdict(failOn: FailThreshold, onlyNew: Bool = false) -> String {
        exitStatus(failOn: failOn, onlyNew: onlyNew) == 0 ? "pass" : "fail"
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
        let waived = finding.waiver?.state == .waived
        guard failOn.fails(finding.severity), !waived else { return false }
        return !onlyNew || BaselineChange.counts(isNew: finding.change == .new, waivedNow: waived, heededBefore: finding.heededInBaseline)
    }
}

/// The configuration behind a report, as every format states it.
public struct ConfigurationStatement: Sendable {
    /// The settings file read, nil when none was.
    public var path: String?
    public var disabledRules: [String] = []
    public var severityOverrides: [(rule: String, severity: Severity)] = []

    package init(path: String? = nil) {
        self.path = path
    }
}
