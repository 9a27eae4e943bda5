import AccessAuditKit
import ArgumentParser
import Foundation

/// Where and how a report is written: every command that reports has these.
struct OutputOptions: ParsableArguments {
    @Option(help: "Report format: text, json, ndjson, csv, markdown, html or junit (default: text, or the config's).")
    var format: ReportFormat?

    @Option(
        help: ArgumentHelp(
            "Write the report to this file (atomically; - is standard output; a symlink is written through to its target; never an input or a non-regular file). audit and replay take several, each in the format of its extension (.json .ndjson .csv .md .html .txt .xml=junit .prom=metrics), all from one read.",
            valueName: "file"))
    var output: [String] = []

    /// Colour only for a terminal on standard output, and never when NO_COLOR is set.
    static func colour(_ format: ReportFormat, _ target: OutputTarget) -> Bool {
        target.isStandardOutput && format == .text && isatty(STDOUT_FILENO) == 1
            && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Where the report goes, checked against the files the run reads before anything is read.
    func target(inputs: [String?], databases: [String] = []) throws -> OutputTarget {
        guard output.count <= 1 else { throw ValidationError("this command writes one --output.") }
        return try OutputTarget(output.first, inputs: inputs.compactMap { $0 }, databases: databases)
    }
}

/// The options of the auditing commands (`audit`, `replay`): threshold, configuration, waivers,
/// baseline and output.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Fail (exit 1) when a finding is at or above this severity (default: high).", valueName: "severity"))
    var failOn: FailThreshold?

    @Option(help: ArgumentHelp("Settings file (default: access-audit.yml in the current directory, if any).", valueName: "file"))
    var config: String?

    @Flag(help: "Print the effective settings (flags over the config file over defaults) and exit.")
    var printConfig = false

    @Option(help: ArgumentHelp("A YAML file of waivers: accepted findings, each with reason, owner, approver and expiry.", valueName: "file"))
    var waivers: String?

    @Option(help: ArgumentHelp("A previous JSON report: mark findings new or persisting and list the resolved ones.", valueName: "previous.json"))
    var baseline: String?

    @Flag(help: "With --baseline: only new, unwaived findings decide the exit status.")
    var failOnNew = false

    @Option(
        help: ArgumentHelp(
            "Write reviewable SQL that would fix the findings (never run by access-audit; checked like --output, written after the report).",
            valueName: "file"))
    var remediationSQL: String?

    @Option(
        help: ArgumentHelp(
            "With --remediation-sql: the administrator the script's grant_events name as actor (required with it).", valueName: "name"))
    var actor: String?

    @OptionGroup var output: OutputOptions

    @OptionGroup var monitoring: MonitoringOptions

    @OptionGroup var nightly: NightlyOptions

    func validate() throws {
        if failOnNew, baseline == nil, nightly.historyDir == nil { throw ValidationError("--fail-on-new needs --baseline or --history-dir.") }
        try nightly.validate(baseline: baseline)
        try validateOutputs()
        if remediationSQL != nil, Blank.isBlank(actor) {
            throw ValidationError("--remediation-sql needs --actor NAME: the administrator its grant_events rows name.")
        }
        if actor != nil, remediationSQL == nil { throw ValidationError("--actor needs --remediation-sql.") }
    }

    /// The effective settings of a run, and its waivers and baseline, all read before the audit
    /// so a bad file fails at once rather than after a long run.
    struct Effective {
        var config: AuditConfig
        var failOn: FailThreshold
        var format: ReportFormat
        var waivers: [Waiver]?
        var baseline: Baseline?
        /// `--history-dir`: where this run's report goes and the baseline found there.
        var nightly: NightlyOptions.Run?
    }

    /// `clock`: the run's `now` (audit) or `as_of` (replay), which dates a `--history-dir` report.
    func effective(clock: Timestamp) throws -> Effective {
        let config = try AuditConfig.load(self.config)
        let nightly = try self.nightly.run(at: clock)
        return Effective(
            config: config, failOn: failOn ?? config.failOn ?? .high,
            format: output.format ?? config.format ?? singleOutputFormat ?? .text,
            waivers: try waivers.map(WaiverFile.load), baseline: try nightly?.baseline ?? baseline.map(Baseline.load), nightly: nightly)
    }

    /// Every effective setting, in order, for `--print-config` and the report's metadata.
    func settings(_ effective: Effective, source: SourceOptions, command: [(String, String)]) -> [(String, String)] {
        var settings = command + [
            ("fail_on", effective.failOn.rawValue), ("format", effective.format.rawValue),
            ("busy_timeout_ms", String(source.busyTimeout)), ("immutable", String(source.immutable)),
            ("integrity_check", String(!source.noIntegrityCheck)),
            ("timeout", String(source.timeoutSeconds(effective.config))),
            ("max_value_bytes", String(source.valueLimit(effective.config))),
        ]
        if let path = effective.config.path { settings.append(("config", path)) }
        if let days = effective.config.maxWaiverDays { settings.append(("max_waiver_days", String(days))) }
        if !effective.config.disabledRules.isEmpty { settings.append(("disabled_rules", effective.config.disabledRules.joined(separator: ","))) }
        for (rule, severity) in effective.config.severity { settings.append(("severity.\(rule)", severity.rawValue)) }
        if let map = source.map { settings.append(("map", map)) }
        if let waivers { settings.append(("waivers", waivers)) }
        if let baseline { settings.append(("baseline", baseline)) }
        if failOnNew { settings.append(("fail_on_new", "true")) }
        return settings + nightly.settings(effective.nightly)
    }

    /// `--print-config`: the settings as a file `--config` accepts.
    func printSettings(_ settings: [(String, String)]) throws {
        try StandardOutput.write(AuditConfig.printed(settings))
    }

    /// Applies the configuration, waivers and baseline, records the run's metadata, writes the
    /// report (and remediation SQL), and returns its exit status.
    func emit(
        _ report: AuditReport, effective: Effective, targets: Targets, fingerprints: [RunMetadata.File],
        settings: [(String, String)], started: Date
    ) throws -> Int32 {
        var report = report
        report.apply(config: effective.config)
        if let waivers = effective.waivers {
            try report.apply(waivers: waivers, maxDays: effective.config.maxWaiverDays ?? AuditConfig.defaultMaxWaiverDays)
        }
        report.metadata = RunMetadata(files: fingerprints, settings: settings)
        // After the metadata: the comparison checks the baseline fingerprinted the same files.
        if let baseline = effective.baseline { try report.compare(with: baseline) }
        let context = RenderContext(failOn: effective.failOn, onlyNew: failOnNew)
        try write(report, context: context, to: targets, nightly: effective.nightly, started: started)
        return report.exitStatus(failOn: effective.failOn, onlyNew: failOnNew)
    }
}

/// Runs a command body and maps its outcome to the exit status, in one place: a returned status
/// as is, an `AuditError`, `SQLiteError` or any other error (argument-parser's own aside) as one
/// line on standard error and status 2.
func runMappingErrors(_ body: () throws -> Int32) throws {
    let status: Int32
    do {
        status = try body()
    } catch let error as AuditError {
        fail(error.errorDescription ?? "\(error)")
    } catch let error as SQLiteError {
        fail(error.description)
    } catch let error as ValidationError {
        throw error
    } catch let error as ExitCode {
        throw error
    } catch {
        // Anything else is still "could not run" (exit 2), never exit 1 ("findings").
        fail(error.localizedDescription)
    }
    if status != 0 { throw ExitCode(status) }

    func fail(_ message: String) -> Never {
        StandardError.write("access-audit: error: \(Escaping.terminal(message))\n")
        AccessAudit.exit(withError: ExitCode(2))
    }
}
