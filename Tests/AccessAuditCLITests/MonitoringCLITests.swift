import Foundation
import Testing

/// `--format junit` and `--metrics FILE` end to end; the metrics file read by the Prometheus
/// client's own parser (Scripts/check-metrics.py).
struct MonitoringCLITests {
    static let sample = "samples/national-statistics.sql"
    static let now = ["--now", "2019-03-13T02:00:00Z"]

    @Test("--metrics writes a file the Prometheus text parser reads, beside any report format")
    func metricsParse() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let metrics = directory.appendingPathComponent("access-audit.prom").path
        let before = Date().timeIntervalSince1970.rounded(.down)
        let result = try CLI.run(["audit", Self.sample, "--metrics", metrics, "--format", "junit"] + Self.now)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("<?xml"))
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(text.contains("access_audit_findings{rule=\"level-exceeds-policy\",severity=\"critical\"} 1\n"))
        // The last-success timestamp is the wall clock, not --now.
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("access_audit_last_success_timestamp_seconds ") })
        let stamp = try #require(Double(line.split(separator: " ").last ?? ""))
        #expect(stamp >= before && stamp < before + 600)
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let parsed = try CLI.run(["python3", CLI.root.appendingPathComponent("Scripts/check-metrics.py").path, metrics], executable: python)
        if parsed.status == 2 || parsed.status == 127 {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI must have prometheus_client: \(parsed.stderr)")
            return
        }
        #expect(parsed.status == 0, "\(parsed.stdout)")
        #expect(parsed.stdout.contains("1 of 1 files valid"))
    }

    @Test("A run that cannot read its database leaves the last metrics file as it was")
    func metricsKeptOnFailure() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let metrics = directory.appendingPathComponent("access-audit.prom").path
        try "# previous\n".write(toFile: metrics, atomically: true, encoding: .utf8)
        let result = try CLI.run(["audit", directory.appendingPathComponent("missing.db").path, "--metrics", metrics])
        #expect(result.status == 2)
        #expect(try String(contentsOfFile: metrics, encoding: .utf8) == "# previous\n")
    }

    @Test("--format junit: exit status as for every format; the config's format may be junit")
    func junitFormat() throws {
        let clean = try CLI.run(["audit", "samples/clean.sql", "--format", "junit", "--now", "2026-11-25T00:00:00Z"])
        #expect(clean.status == 0)
        #expect(clean.stdout.contains("failures=\"0\""))
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("c.yml").path
        try "format: junit\n".write(toFile: config, atomically: true, encoding: .utf8)
        let configured = try CLI.run(["audit", Self.sample, "--config", config] + Self.now)
        #expect(configured.status == 1)
        #expect(configured.stdout.contains("<testsuites name=\"access-audit\" tests=\"14\" failures=\"6\""))
    }
}
