import Foundation

/// Whether a finding is new since the baseline report or was already in it.
public enum BaselineChange: String, Sendable, Hashable, CaseIterable {
    case new, persisting

    /// `--fail-on-new`'s one definition (the audit's verdict and `diff`'s): a finding counts when
    /// it is not waived now and either was not in the earlier report or could not decide that
    /// report's verdict (`heededBefore` false: it was waived there, or below that run's
    /// `fail_on`, `Baseline.heeded`). A waiver that lapsed since (expired, removed, or its subject
    /// changed), or a severity or threshold that now reaches it (a config's `severity:` override
    /// removed, `--fail-on` lowered), makes the finding as good as new: the night it first counts,
    /// the nightly job fails on it instead of passing forever.
    package static func counts(isNew: Bool, waivedNow: Bool, heededBefore: Bool) -> Bool {
        !waivedNow && (isNew || !heededBefore)
    }
}

/// A finding as a previous JSON report recorded it.
public struct BaselineFinding: Sendable, Hashable {
    public var key: String
    public var rule: String
    public var severity: Severity?
    public var accountID: String?
    public var grantID: String?
    public var message: String
    /// What the finding was about (nil in a report written before subjects existed).
    public var subject: FindingSubject?
    /// Its `first_seen` and `runs_seen` (nil in a report written without a baseline, or before
    /// these fields existed).
    public var history: FindingHistory?
    /// Its waiver status was `waived` (it did not count toward that run's verdict).
    public var waived = false

    public init(
        key: String, rule: String, severity: Severity?, accountID: String? = nil, grantID: String? = nil, message: String,
        subject: FindingSubject? = nil, history: FindingHistory? = nil
    ) {
        self.key = key
        self.rule = rule
        self.severity = severity
        self.accountID = accountID
        self.grantID = grantID
        self.message = message
        self.subject = subject
        self.history = history
    }

    /// Whether `subject` is another than the one recorded (never for a report without subjects).
    func subjectChanged(to subject: @autoclosure () -> FindingSubject) -> Bool {
        guard let recorded = self.subject else { return false }
        return recorded != subject()
    }
}

/// A previous `--format json` report, for `--baseline` and `diff`.
public struct Baseline: Sendable {
    public var findings: [BaselineFinding]
    /// The file it was read from, its `database`, and the paths its `run` fingerprinted.
    public var path: String?
    public var database: String?
    public var runFiles: [String] = []
    /// The clock of the run that wrote it (nil only for a baseline built in code).
    public var now: Timestamp?
    /// The `fail_on` that run had (`run.settings.fail_on`; nil for an older report or one built in
    /// code: then every finding it holds is taken to have been heeded unless waived).
    public var failOn: FailThreshold?

    public init(
        findings: [BaselineFinding], path: String? = nil, database: String? = nil, runFiles: [String] = [], now: Timestamp? = nil
    ) {
        self.findings = findings
        self.path = path
        self.database = database
        self.runFiles = runFiles
        self.now = now
    }

    /// Whether `finding` could decide this report's verdict: not waived, and at or above its
    /// run's `fail_on` (`BaselineChange.counts`).
    package func heeded(_ finding: BaselineFinding) -> Bool {
        !finding.waived && (failOn.map { threshold in finding.severity.map(threshold.fails) ?? true } ?? true)
    }

    /// The history a run at `now` gives a finding this baseline recorded as `finding` (the same
    /// finding, seen again): its own first sighting and one more run, or, for a report written
    /// before finding histories, the baseline's clock and 2. A first sighting later than `now` is
    /// exit 2: the baseline is not an earlier run.
    func history(continuing finding: BaselineFinding, at now: Timestamp) throws -> FindingHistory? {
        guard let recorded = finding.history ?? self.now.map({ FindingHistory(firstSeen: Timestamp(seconds: $0.seconds), runsSeen: 1) }) else {
            return nil
        }
        guard recorded.firstSeen <= now else {
            throw AuditError.baseline(
                path ?? "the baseline",
                "finding \(finding.key): first seen \(recorded.firstSeen), later than this run's now \(now) (use an earlier run's report)")
        }
        return recorded.continued
    }

    /// Reads a report written with `--format json`, keeping only what comparisons need (memory
    /// grows with its findings, not its text). Every value it reads must be one this tool writes:
    /// an unknown rule, severity or state, a wrong type or another schema is exit 2 naming the
    /// file and the finding.
    public static func load(_ path: String) throws -> Baseline {
        var findings: [BaselineFinding] = []
        var baseline = try SavedReport.read(path) { finding, _ in findings.append(finding) }
        baseline.findings = findings
        return baseline
    }

    /// Whether any finding carries a subject (reports before subjects have none).
    var hasSubjects: Bool { findings.contains { $0.subject != nil } }

    /// Notes for a comparison of this baseline with a run (or later report) of `database` that
    /// fingerprinted `files`: a baseline of another database, or one without subjects.
    func originNotes(database other: String?, files: [String]?) -> [String] {
        var notes: [String] = []
        let name = path ?? "the baseline"
        if let database, let other, database != other {
            notes.append(
                "Baseline \(name) is a report on database '\(database)', not '\(other)': its findings may count as new or "
                    + "resolved only because the databases differ.")
        } else if let files, !runFiles.isEmpty, runFiles != files {
            notes.append(
                "Baseline \(name) fingerprinted \(runFiles.map { "'\($0)'" }.joined(separator: ", ")), this run "
                    + "\(files.map { "'\($0)'" }.joined(separator: ", ")): it may describe other input files.")
        }
        if !findings.isEmpty, !hasSubjects {
            notes.append(
                "Baseline \(name) records no finding subjects (an older report): findings persist by key alone, even if "
                    + "their account, level or scope changed.")
        }
        return notes
    }
}

extension AuditReport {
    /// Marks each finding new or persisting against `baseline` and lists the resolved ones. A
    /// finding whose key was in the baseline but whose subject changed is new, and says so.
    /// Each finding also gets its history (`FindingHistory`): a persisting one continues the
    /// baseline's, a new one starts at this run. Then new findings come first in each severity.
    public mutating func compare(with baseline: Baseline) throws {
        var before: [String: Int] = [:]
        for (position, finding) in baseline.findings.enumerated() where before[finding.key] == nil { before[finding.key] = position }
        var changed = 0
        for index in findings.indices {
            guard let position = before[findings[index].key] else {
                findings[index].change = .new
                findings[index].history = .new(at: now)
                continue
            }
            if baseline.findings[position].subjectChanged(to: FindingSubject(findings[index])) {
                findings[index].change = .new
                findings[index].subjectChangedSinceBaseline = true
                findings[index].history = .new(at: now)
                changed += 1
            } else {
                findings[index].change = .persisting
                findings[index].waivedInBaseline = baseline.findings[position].waived
                findings[index].heededInBaseline = baseline.heeded(baseline.findings[position])
                findings[index].history = try baseline.history(continuing: baseline.findings[position], at: now)
            }
        }
        let lapsed = findings.count { $0.waivedInBaseline && $0.waiver?.state != .waived }
        if lapsed > 0 {
            notes.append(
                "\(lapsed) finding\(lapsed == 1 ? " was" : "s were") waived in the baseline and \(lapsed == 1 ? "is" : "are") not now "
                    + "(the waiver expired, was removed or no longer matches): --fail-on-new counts \(lapsed == 1 ? "it" : "them") as new.")
        }
        let below = findings.count { $0.change == .persisting && !$0.waivedInBaseline && !$0.heededInBaseline }
        if below > 0, let threshold = baseline.failOn {
            notes.append(
                "\(below) persisting finding\(below == 1 ? " was" : "s were") below the baseline run's fail_on (\(threshold.rawValue)): "
                    + "--fail-on-new counts \(below == 1 ? "it" : "them") as new where \(below == 1 ? "it reaches" : "they reach") this run's threshold.")
        }
        sortNewFirst()
        let keys = Set(findings.map(\.key))
        resolved = baseline.findings.filter { !keys.contains($0.key) }
        notes += baseline.originNotes(database: database, files: metadata?.files.map(\.path))
        if changed > 0 {
            notes.append(
                "\(changed) finding\(changed == 1 ? " is" : "s are") new although \(changed == 1 ? "its key was" : "their keys were") "
                    + "in the baseline: the subject (account, organisation, level, scope or message) changed.")
        }
    }
}
