import Foundation
import Testing

/// Nightly runs that must not pass by mistake. A run that cannot write one of its outputs: found
/// attacking the next build, a run whose
/// `--metrics` or `--remediation-sql` could not be written exited 2 but had already written
/// tonight's report into `--history-dir`; the next night took it as its baseline, so the critical
/// finding that appeared on the failed night was `persisting` and `--fail-on-new` passed it on
/// every night after.
struct NightlyFailureCLITests {
    static let sample = NightlyCLITests.sample

    /// Every file under `directory` (names relative to it), hidden ones too.
    static func files(_ directory: URL) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: directory.path).sorted()
    }

    @Test(
        "An output that cannot be written: exit 2 and no output changed, above all no history report; the next night still fails on the new finding",
        arguments: [
            ["--metrics", "/nonexistent-dir/m.prom"], ["--remediation-sql", "/nonexistent-dir/fix.sql", "--actor", "admin"],
            ["--output", "/nonexistent-dir/r.html"],
        ])
    func failedRunLeavesNoHistory(_ failing: [String]) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = directory.appendingPathComponent("history")
        try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
        let latest = directory.appendingPathComponent("latest.json")
        try "yesterday's report".write(to: latest, atomically: true, encoding: .utf8)
        let metrics = directory.appendingPathComponent("ok.prom")
        try "yesterday's metrics".write(to: metrics, atomically: true, encoding: .utf8)
        func night(_ now: String, _ extra: [String]) throws -> CLI.Result {
            try CLI.run(
                ["audit", Self.sample, "--history-dir", history.path, "--fail-on-new", "--quiet", "--now", now, "--output", latest.path]
                    + (failing.first == "--metrics" ? [] : ["--metrics", metrics.path]) + extra)
        }
        let failed = try night("2019-03-12T02:00:00Z", failing)
        #expect(failed.status == 2, "\(failed.stderr)")
        #expect(failed.stderr.contains("nonexistent-dir"), "\(failed.stderr)")
        #expect(try Self.files(history) == [], "a run that exits 2 leaves no report to be a baseline")
        #expect(try String(contentsOf: latest, encoding: .utf8) == "yesterday's report")
        #expect(try String(contentsOf: metrics, encoding: .utf8) == "yesterday's metrics")
        #expect(try Self.files(directory) == ["history", "latest.json", "ok.prom"], "no temporary file left")
        // The next night is the first one that ran: its findings are new, and it fails.
        let next = try night("2019-03-13T02:00:00Z", [])
        #expect(next.status == 1, "\(next.stderr)")
        #expect(try Self.files(history) == ["access-audit-2019-03-13T020000Z.json"])
    }

    @Test("A failed run with --keep deletes no earlier report")
    func failedRunPrunesNothing() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for day in 10...11 {
            let night = try CLI.run(["audit", Self.sample, "--history-dir", directory.path, "--now", "2019-03-\(day)T02:00:00Z", "--quiet"])
            #expect(night.status == 1, "\(night.stderr)")
        }
        let failed = try CLI.run([
            "audit", Self.sample, "--history-dir", directory.path, "--keep", "1", "--now", "2019-03-12T02:00:00Z", "--quiet",
            "--metrics", "/nonexistent-dir/m.prom",
        ])
        #expect(failed.status == 2, "\(failed.stderr)")
        #expect(try Self.files(directory) == ["access-audit-2019-03-10T020000Z.json", "access-audit-2019-03-11T020000Z.json"])
    }

    @Test("--keep that cannot delete an old report warns; the run's outputs and exit status stand")
    func pruneFailureWarns() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = directory.appendingPathComponent("access-audit-2019-03-10T020000Z.json")
        let first = try CLI.run(["audit", Self.sample, "--history-dir", directory.path, "--now", "2019-03-10T02:00:00Z", "--quiet"])
        #expect(first.status == 1, "\(first.stderr)")
        // An immutable file (ext2/3/4, as root) cannot be deleted; elsewhere the case cannot be made.
        guard (try? Self.chattr("+i", old)) == 0 else { return }
        defer { _ = try? Self.chattr("-i", old) }
        let second = try CLI.run([
            "audit", Self.sample, "--history-dir", directory.path, "--keep", "1", "--now", "2019-03-11T02:00:00Z", "--quiet",
        ])
        #expect(second.status == 1, "the audit's verdict, not 'could not run': \(second.stderr)")
        #expect(second.stderr.contains("warning:") && second.stderr.contains("cannot delete an old report"), "\(second.stderr)")
        #expect(try Self.files(directory) == ["access-audit-2019-03-10T020000Z.json", "access-audit-2019-03-11T020000Z.json"])
    }

    /// Found attacking the next build: a finding below the verdict's threshold one night (a
    /// config's `severity:` override, or a higher `--fail-on`) was `persisting` once it counted,
    /// so `--fail-on-new` never failed on it, as a lapsed waiver once did.
    @Test("--fail-on-new fails the night a persisting finding first reaches the threshold (override removed, --fail-on lowered); diff agrees")
    func thresholdLapse() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let low = directory.appendingPathComponent("low.yml")
        try "severity:\n  level-exceeds-policy: low\n".write(to: low, atomically: true, encoding: .utf8)
        func nights(_ first: [String], _ second: [String]) throws -> (second: CLI.Result, diff: CLI.Result, third: CLI.Result) {
            let history = directory.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
            func night(_ now: String, _ extra: [String]) throws -> CLI.Result {
                try CLI.run(["audit", Self.sample, "--history-dir", history.path, "--fail-on-new", "--quiet", "--now", now] + extra)
            }
            _ = try night("2019-03-13T02:00:00Z", first)
            let two = try night("2019-03-13T02:00:01Z", second)
            let diff = try CLI.run([
                "diff", history.appendingPathComponent("access-audit-2019-03-13T020000Z.json").path,
                history.appendingPathComponent("access-audit-2019-03-13T020001Z.json").path, "--fail-on", "critical",
            ])
            // Counted once, the findings are known: a third night like the second passes.
            return (two, diff, try night("2019-03-13T02:00:02Z", second))
        }
        // The same two nights with nothing changed between them: night two passes (the control).
        let same = try nights([], [])
        #expect(same.second.status == 0, "\(same.second.stdout.suffix(500))")
        #expect(same.diff.status == 0, "\(same.diff.stdout)")
        let raised = try nights(["--config", low.path], [])
        #expect(raised.second.status == 1, "level-exceeds-policy was low, is critical now: \(raised.second.stdout.suffix(800))")
        #expect(raised.second.stdout.contains("below the baseline run's fail_on"), "\(raised.second.stdout.suffix(800))")
        #expect(raised.diff.status == 1, "\(raised.diff.stdout)")
        let lowered = try nights(["--fail-on", "critical"], ["--fail-on", "high"])
        #expect(lowered.second.status == 1, "the high findings never decided a verdict: \(lowered.second.stdout.suffix(800))")
        for run in [same, raised, lowered] { #expect(run.third.status == 0, "\(run.third.stdout.suffix(500))") }
    }

    /// Found attacking the next build: a symlink with tonight's report name in the history
    /// directory (5.8: never read or deleted) was written through, replacing whatever it pointed at.
    @Test("A symlink with tonight's report name in --history-dir is refused (exit 2), its target untouched")
    func historySymlink() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = directory.appendingPathComponent("history")
        try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
        let victim = directory.appendingPathComponent("victim.conf")
        try "precious".write(to: victim, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: history.appendingPathComponent("access-audit-2019-03-13T020000Z.json").path, withDestinationPath: victim.path)
        let result = try CLI.run(["audit", Self.sample, "--history-dir", history.path, "--now", "2019-03-13T02:00:00Z", "--quiet"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("symbolic link"), "\(result.stderr)")
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious")
    }

    static func chattr(_ flag: String, _ file: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, file.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
