import Foundation
import Testing

/// Every JSON output against docs/schema/ (draft 2020-12), through Scripts/check-schemas.py and
/// the `jsonschema` package: the golden files, and every output of a generated database and the
/// sample with waivers and a baseline. Without python3 and jsonschema the test says so and
/// passes, except under CI (`CI=true`), where .ci/run installs them and a missing one fails.
struct JSONSchemaTests {
    static let script = CLI.root.appendingPathComponent("Scripts/check-schemas.py")

    /// Runs the checker on `files`; nil when python3 or jsonschema is missing outside CI.
    static func check(_ files: [String], kind: String? = nil) throws -> CLI.Result? {
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let arguments = ["python3", script.path] + (kind.map { ["--kind", $0] } ?? []) + files
        let result = try CLI.run(arguments, executable: python)
        if result.status == 2 || result.status == 127 {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI must have python3 and jsonschema: \(result.stderr)")
            return nil
        }
        return result
    }

    @Test("The golden JSON and NDJSON reports match the report schema")
    func goldenFiles() throws {
        let golden = "Tests/AccessAuditKitTests/Golden/"
        let files = ["sample.json", "sample.ndjson", "sample-history.json", "sample-history.ndjson", "exposure-sample.json", "timeline-acc-010.json"]
            .map { golden + $0 }
        guard let result = try Self.check(files) else { return }
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("\(files.count) of \(files.count) files valid"), "\(result.stdout)")
    }

    @Test("An exposure interval without one of the contract's members is refused")
    func exposureWithoutClippedIsRefused() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let golden = try String(
            contentsOf: CLI.root.appendingPathComponent("Tests/AccessAuditKitTests/Golden/exposure-sample.json"), encoding: .utf8)
        let broken = directory.appendingPathComponent("broken.json").path
        try golden.replacingOccurrences(of: "\"clipped\": true,", with: "").write(toFile: broken, atomically: true, encoding: .utf8)
        guard let result = try Self.check([broken]) else { return }
        #expect(result.status == 1)
        #expect(result.stdout.contains("clipped"))
    }

    @Test("A report that breaks the schema is refused (the check can fail)")
    func brokenReportIsRefused() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let golden = try String(contentsOf: CLI.root.appendingPathComponent("Tests/AccessAuditKitTests/Golden/sample.json"), encoding: .utf8)
        let broken = directory.appendingPathComponent("broken.json").path
        try golden.replacingOccurrences(of: "\"grant_id\": 1051,", with: "\"grant_id\": 1051.5,").write(toFile: broken, atomically: true, encoding: .utf8)
        guard let result = try Self.check([broken]) else { return }
        #expect(result.status == 1)
        #expect(result.stdout.contains("grant_id"))
    }

    @Test("Every JSON output of a generated database and of the reviewed sample matches its schema")
    func generatedAndReviewedOutputs() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let db = path("generated.db")
        try FileManager.default.createDirectory(atPath: path("history"), withIntermediateDirectories: true)
        #expect(try CLI.run(["generate", db, "--accounts", "400", "--seed", "7"]).status == 0)
        let now = ["--now", "2026-06-01T00:00:00Z"]
        let sample = "samples/national-statistics.sql"
        let sampleNow = ["--now", "2019-03-13T02:00:00Z"]
        let runs: [[String]] = [
            ["audit", db, "--format", "json", "--output", path("audit.json")] + now,
            ["audit", db, "--format", "ndjson", "--output", path("audit.ndjson")] + now,
            ["replay", db, "--as-of", "2026-01-01T00:00:00Z", "--format", "json", "--output", path("replay.json")],
            ["exposure", db, "--from", "2020-01-01", "--to", "2026-06-01", "--format", "json", "--output", path("exposure.json")],
            ["audit", sample, "--format", "json", "--output", path("sample-old.json"), "--dormant-days", "30"] + sampleNow,
            [
                "audit", sample, "--format", "json", "--output", path("sample-new.json"), "--waivers", "samples/waivers.yml",
                "--baseline", path("sample-old.json"), "--immutable",
            ] + sampleNow,
            ["diff", path("sample-old.json"), path("audit.json"), "--format", "json", "--output", path("diff.json")],
            ["timeline", sample, "--account", "acc-010", "--format", "json", "--output", path("timeline.json")],
            ["audit", sample, "--history-dir", path("history"), "--keep", "1", "--output", path("history.ndjson")] + sampleNow,
        ]
        for arguments in runs {
            let result = try CLI.run(arguments)
            #expect([0, 1].contains(result.status), "\(arguments): \(result.stderr)")
        }
        let files = [
            "audit.json", "audit.ndjson", "replay.json", "exposure.json", "sample-old.json", "sample-new.json", "diff.json", "timeline.json",
            "history/access-audit-2019-03-13T020000Z.json", "history.ndjson",
        ]
        guard let result = try Self.check(files.map(path)) else { return }
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("\(files.count) of \(files.count) files valid"))
    }
}
