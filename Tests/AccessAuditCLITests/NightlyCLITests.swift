import Foundation
import Testing

/// `--history-dir`, `--keep` and several `--output`: the nightly run without glue.
struct NightlyCLITests {
    static let sample = "samples/national-statistics.sql"

    func json(_ path: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    }

    func findings(_ object: [String: Any]) -> [[String: Any]] {
        object["findings"] as? [[String: Any]] ?? []
    }

    @Test("Two nights: night one is all new (and fails with --fail-on-new), night two's findings persist")
    func twoNights() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = directory.appendingPathComponent("history")
        try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
        func night(_ now: String) throws -> CLI.Result {
            try CLI.run(["audit", Self.sample, "--history-dir", history.path, "--fail-on-new", "--quiet", "--now", now, "--output", "-", "--format", "json"])
        }
        let first = try night("2019-03-12T02:00:00Z")
        #expect(first.status == 1, "night one: every finding is new: \(first.stderr)")
        let one = try json(history.appendingPathComponent("access-audit-2019-03-12T020000Z.json"))
        #expect(!findings(one).isEmpty && findings(one).allSatisfy { $0["baseline"] as? String == "new" })
        #expect((one["resolved"] as? [Any])?.isEmpty == true)
        #expect(((one["run"] as? [String: Any])?["settings"] as? [String: Any])?["history_baseline"] as? String == "none (first night)")
        let second = try night("2019-03-13T02:00:00Z")
        let two = try json(history.appendingPathComponent("access-audit-2019-03-13T020000Z.json"))
        let persisting = findings(two).filter { $0["baseline"] as? String == "persisting" }
        #expect(!persisting.isEmpty)
        let settings = (two["run"] as? [String: Any])?["settings"] as? [String: Any]
        #expect((settings?["history_baseline"] as? String)?.hasSuffix("access-audit-2019-03-12T020000Z.json") == true)
        // Standard output got the same report as the history file.
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        #expect(findings(printed).map { $0["key"] as? String } == findings(two).map { $0["key"] as? String })
        // Only new findings decide: none is new at or above high on night two, so it passes.
        let newHigh = findings(two).filter {
            $0["baseline"] as? String == "new" && ["critical", "high"].contains($0["severity"] as? String ?? "")
        }
        #expect(second.status == (newHigh.isEmpty ? 0 : 1))
    }

    /// Found attacking the build: a critical finding waived on the night it appeared was
    /// `persisting` the next night, when its waiver had expired, so --fail-on-new passed on every
    /// later night.
    @Test("--fail-on-new fails the night a waiver lapses, then treats the finding as known; diff agrees")
    func lapsedWaiver() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let waivers = directory.appendingPathComponent("waivers.yml").path
        let first = try CLI.run(["audit", Self.sample, "--now", "2019-03-13T02:00:00Z", "--format", "json", "--quiet"])
        let report = directory.appendingPathComponent("first.json").path
        try first.stdout.write(toFile: report, atomically: true, encoding: .utf8)
        let waive = try CLI.run([
            "waive", report, "level-exceeds-policy:grant:1051", "--reason", "ticket 42", "--owner", "ops lead", "--approved-by", "ciso",
            "--expires", "2019-03-14T00:00:00Z", "--now", "2019-03-13T02:00:00Z",
        ])
        #expect(waive.status == 0, "\(waive.stderr)")
        try waive.stdout.write(toFile: waivers, atomically: true, encoding: .utf8)
        let history = directory.appendingPathComponent("history")
        try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
        func night(_ now: String) throws -> CLI.Result {
            try CLI.run([
                "audit", Self.sample, "--history-dir", history.path, "--fail-on-new", "--fail-on", "critical", "--waivers", waivers,
                "--quiet", "--now", now, "--format", "json",
            ])
        }
        #expect(try night("2019-03-13T02:00:00Z").status == 0, "new but waived")
        let lapsed = try night("2019-03-15T02:00:00Z")
        #expect(lapsed.status == 1, "the waiver expired: the critical finding counts again")
        #expect(lapsed.stdout.contains("--fail-on-new counts it as new"), "\(lapsed.stdout.prefix(2000))")
        #expect(try night("2019-03-16T02:00:00Z").status == 0, "known and unwaived since the last night: persisting")
        let diff = try CLI.run([
            "diff", history.appendingPathComponent("access-audit-2019-03-13T020000Z.json").path,
            history.appendingPathComponent("access-audit-2019-03-15T020000Z.json").path, "--fail-on", "critical",
        ])
        #expect(diff.status == 1, "\(diff.stdout)")
        #expect(diff.stdout.contains("waived in"), "\(diff.stdout)")
    }

    @Test("--keep N leaves the newest N reports; other files in the directory stay")
    func keep() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "notes".write(to: directory.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
        for day in 10...13 {
            let result = try CLI.run([
                "audit", Self.sample, "--history-dir", directory.path, "--keep", "2", "--now", "2019-03-\(day)T02:00:00Z", "--output",
                directory.appendingPathComponent("latest.html").path,
            ])
            #expect(result.status == 1, "\(result.stderr)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["README.txt", "access-audit-2019-03-12T020000Z.json", "access-audit-2019-03-13T020000Z.json", "latest.html"])
    }

    @Test("Several --output: each file in its extension's format, all from one read (one snapshot)")
    func severalOutputs() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let names = ["a.json", "a.html", "a.xml", "a.csv", "a.md", "a.ndjson", "a.txt", "a.prom"]
        let result = try CLI.run(["audit", Self.sample, "--now", "2019-03-13T02:00:00Z"] + names.flatMap { ["--output", path($0)] })
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let text = try names.map { try String(contentsOfFile: path($0), encoding: .utf8) }
        #expect(text[0].hasPrefix("{"))
        #expect(text[1].hasPrefix("<!DOCTYPE html>"))
        #expect(text[2].hasPrefix("<?xml") && text[2].contains("<testsuites"))
        #expect(text[4].hasPrefix("# access-audit"))
        #expect(text[5].hasPrefix("{\"record\":\"run\""))
        #expect(text[6].hasPrefix("access-audit audit"))
        #expect(text[7].contains("# TYPE access_audit_findings gauge"))
        // One read: every report names the same database fingerprint.
        let sha = try #require(((json(URL(fileURLWithPath: path("a.json")))["run"] as? [String: Any])?["files"] as? [[String: Any]])?.first?["sha256"] as? String)
        #expect(text[1].contains(sha.prefix(16)))
        #expect(text[6].contains(sha.prefix(16)))
    }

    @Test("Usage errors: an unknown extension among several, --keep without --history-dir, --history-dir with --baseline, the same file twice")
    func usageErrors() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let now = ["--now", "2019-03-13T02:00:00Z"]
        let unknown = try CLI.run(["audit", Self.sample, "--output", path("a.json"), "--output", path("a.pdf")] + now)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("from its extension"), "\(unknown.stderr)")
        #expect(try CLI.run(["audit", Self.sample, "--keep", "3"] + now).status == 64)
        #expect(try CLI.run(["audit", Self.sample, "--history-dir", directory.path, "--keep", "0"] + now).status == 64)
        #expect(try CLI.run(["audit", Self.sample, "--history-dir", directory.path, "--baseline", path("x.json")] + now).status == 64)
        let twice = try CLI.run(["audit", Self.sample, "--output", path("a.json"), "--output", path("a.json")] + now)
        #expect(twice.status == 2)
        #expect(!FileManager.default.fileExists(atPath: path("a.json")))
        let missing = try CLI.run(["audit", Self.sample, "--history-dir", path("none")] + now)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--history-dir must be an existing directory"))
    }

    @Test("One --output without --format takes its extension's format; --format still wins")
    func singleOutputExtension() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let html = directory.appendingPathComponent("r.html").path
        _ = try CLI.run(["audit", Self.sample, "--output", html, "--now", "2019-03-13T02:00:00Z"])
        #expect(try String(contentsOfFile: html, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        _ = try CLI.run(["audit", Self.sample, "--output", html, "--format", "json", "--now", "2019-03-13T02:00:00Z"])
        #expect(try String(contentsOfFile: html, encoding: .utf8).hasPrefix("{"))
        let prom = directory.appendingPathComponent("r.prom").path
        let metrics = try CLI.run(["audit", Self.sample, "--output", prom, "--now", "2019-03-13T02:00:00Z"])
        #expect(metrics.stdout.isEmpty)
        #expect(try String(contentsOfFile: prom, encoding: .utf8).hasPrefix("# HELP access_audit_info"))
    }

    @Test("exposure and timeline list text, json, csv, markdown and html; diff text and json; each honours the config's format")
    func historyFormats() throws {
        for (command, values) in [("exposure", "text, json, csv, markdown, html"), ("timeline", "text, json, csv, markdown, html"), ("diff", "text, json")] {
            let help = try CLI.run([command, "--help"])
            #expect(help.stdout.contains("--format <format>"))
            #expect(help.stdout.contains("values: \(values))"), "\(command): \(help.stdout)")
            #expect(!help.stdout.contains("ndjson"), "\(command)")
        }
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("c.yml").path
        try "format: json\n".write(toFile: config, atomically: true, encoding: .utf8)
        let timeline = try CLI.run(["timeline", Self.sample, "--account", "acc-010", "--config", config])
        #expect(timeline.stdout.hasPrefix("{"), "\(timeline.stderr)")
        try "format: csv\n".write(toFile: config, atomically: true, encoding: .utf8)
        let csv = try CLI.run(["exposure", Self.sample, "--from", "2019-03-01", "--to", "2019-03-13", "--config", config])
        #expect(csv.stdout.hasPrefix("\u{FEFF}# access-audit exposure"), "\(csv.stderr)")
        try "format: ndjson\n".write(toFile: config, atomically: true, encoding: .utf8)
        let text = try CLI.run(["exposure", Self.sample, "--from", "2019-03-01", "--to", "2019-03-13", "--config", config])
        #expect(text.stdout.hasPrefix("access-audit exposure"), "a format it does not write falls back to text")
        let fallback = try CLI.run(["timeline", Self.sample, "--account", "acc-010", "--config", config])
        #expect(fallback.stdout.hasPrefix("access-audit timeline"))
    }

    @Test("exposure and timeline: one --output file's extension picks the format, as for audit; --format wins")
    func historyOutputExtension() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let window = ["--from", "2019-03-01", "--to", "2019-03-13T02:00:00Z"]
        let expected: [(String, String)] = [
            ("e.html", "<!DOCTYPE html>"), ("e.md", "# access-audit exposure"), ("e.csv", "\u{FEFF}#"), ("e.json", "{"),
            ("e.txt", "access-audit exposure"), ("e.xml", "access-audit exposure"),
        ]
        for (name, prefix) in expected {
            let path = directory.appendingPathComponent(name).path
            let result = try CLI.run(["exposure", Self.sample] + window + ["--output", path])
            #expect(result.status == 1 && result.stdout.isEmpty, "\(name): \(result.stderr)")
            #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).hasPrefix(prefix), "\(name)")
        }
        let timeline = directory.appendingPathComponent("t.md").path
        _ = try CLI.run(["timeline", Self.sample, "--account", "acc-010", "--output", timeline])
        #expect(try String(contentsOfFile: timeline, encoding: .utf8).hasPrefix("# access-audit timeline of account acc-010"))
        _ = try CLI.run(["timeline", Self.sample, "--account", "acc-010", "--output", timeline, "--format", "json"])
        #expect(try String(contentsOfFile: timeline, encoding: .utf8).hasPrefix("{"))
    }

    @Test("Three nights: first_seen and runs_seen follow each finding; one that leaves and comes back starts again")
    func findingHistory() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = directory.appendingPathComponent("history")
        try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("night.sql")
        let sample = try String(contentsOf: CLI.root.appendingPathComponent(Self.sample), encoding: .utf8)
        func night(_ day: Int, fixed: Bool) throws -> [String: [String: Any]] {
            try (sample + (fixed ? "\nUPDATE grants SET level = 'alliance' WHERE grant_id = 1051;\n" : "")).write(to: database, atomically: true, encoding: .utf8)
            let csv = directory.appendingPathComponent("night\(day).csv").path
            let result = try CLI.run([
                "audit", database.path, "--history-dir", history.path, "--now", "2019-03-1\(day)T02:00:00Z", "--output", csv,
            ])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(try String(contentsOfFile: csv, encoding: .utf8).contains("\"first_seen\",\"runs_seen\",\"open\""))
            let report = try json(history.appendingPathComponent("access-audit-2019-03-1\(day)T020000Z.json"))
            return Dictionary(findings(report).map { ($0["key"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        }
        let national = "level-exceeds-policy:grant:1051", scope = "scope-outside-remit:grant:1032"
        let one = try night(1, fixed: false)
        #expect(one[national]?["first_seen"] as? String == "2019-03-11T02:00:00Z" && one[national]?["runs_seen"] as? Int == 1)
        let two = try night(2, fixed: true)
        #expect(two[national] == nil, "fixed on night two")
        #expect(two[scope]?["first_seen"] as? String == "2019-03-11T02:00:00Z" && two[scope]?["runs_seen"] as? Int == 2)
        let three = try night(3, fixed: false)
        #expect(three[national]?["first_seen"] as? String == "2019-03-13T02:00:00Z", "back on night three: first seen again")
        #expect(three[national]?["runs_seen"] as? Int == 1 && three[national]?["baseline"] as? String == "new")
        #expect(three[scope]?["first_seen"] as? String == "2019-03-11T02:00:00Z" && three[scope]?["runs_seen"] as? Int == 3)
        let csv = try String(contentsOfFile: directory.appendingPathComponent("night3.csv").path, encoding: .utf8)
        #expect(csv.contains("\"2019-03-11T02:00:00Z\",\"3\",\"2 days\"\r\n"))
        // The text report of the same night says how long each has been open.
        let text = try CLI.run(["audit", database.path, "--baseline", history.appendingPathComponent("access-audit-2019-03-12T020000Z.json").path,
            "--now", "2019-03-13T02:00:00Z"])
        #expect(text.stdout.contains("  open 2 days (first seen 2019-03-11T02:00:00Z, 3 consecutive runs)\n"))
        let plain = try CLI.run(["audit", database.path, "--now", "2019-03-13T02:00:00Z"])
        #expect(!plain.stdout.contains("first seen"))
    }

    @Test("A baseline whose first_seen is malformed or later than the run is exit 2, one line")
    func badFirstSeen() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let baseline = directory.appendingPathComponent("baseline.json").path
        let fresh = try CLI.run(["audit", Self.sample, "--now", "2019-03-12T02:00:00Z", "--history-dir", directory.path, "--quiet"])
        #expect(fresh.status == 1, "\(fresh.stderr)")
        let written = try String(contentsOfFile: directory.appendingPathComponent("access-audit-2019-03-12T020000Z.json").path, encoding: .utf8)
        for (replacement, why) in [("2019-03-12T02:00:00", "is not a time written"), ("2019-03-14T02:00:00Z", "later than this run's now")] {
            try written.replacingOccurrences(of: "\"first_seen\": \"2019-03-12T02:00:00Z\"", with: "\"first_seen\": \"\(replacement)\"")
                .replacingOccurrences(of: "\"now\": \"2019-03-12T02:00:00Z\"", with: "\"now\": \"2019-03-14T02:00:00Z\"")
                .write(toFile: baseline, atomically: true, encoding: .utf8)
            let result = try CLI.run(["audit", Self.sample, "--now", "2019-03-13T02:00:00Z", "--baseline", baseline])
            #expect(result.status == 2)
            #expect(result.stderr.contains(why) && result.stderr.contains(baseline), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }
}
