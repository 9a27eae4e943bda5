import Foundation
import Testing

/// contrib/: the systemd service's and the cron line's commands are accepted by the binary and
/// do the nightly job (paths moved into a temporary directory).
struct ContribTests {
    /// The command of a unit's `ExecStart=` (continuation lines joined) or of the cron line.
    static func command(_ file: String) throws -> [String] {
        let text = try String(contentsOf: CLI.root.appendingPathComponent(file), encoding: .utf8)
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        let line: Substring
        if file.hasSuffix(".service") {
            let exec = try #require(joined.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
            line = exec.dropFirst("ExecStart=".count)
        } else {
            let cron = try #require(joined.split(separator: "\n").first { $0.first?.isNumber == true })
            // minute hour day month weekday user command...
            line = cron.split(separator: " ", omittingEmptySubsequences: true).dropFirst(6).joined(separator: " ")[...]
        }
        return line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }

    /// Runs `words` (the unit's command) with its paths under `directory`, at `now`.
    func run(_ words: [String], in directory: URL, now: String) throws -> CLI.Result {
        let state = directory.appendingPathComponent("state").path
        let textfile = directory.appendingPathComponent("textfile").path
        let arguments = words.dropFirst().compactMap { word -> String? in
            switch word {
            case "${ACCESS_AUDIT_DB}", "/srv/access/access.db": return "samples/national-statistics.sql"
            case "$ACCESS_AUDIT_OPTIONS": return nil
            default:
                return word.replacingOccurrences(of: "/var/lib/access-audit", with: state)
                    .replacingOccurrences(of: "/var/lib/prometheus/node-exporter", with: textfile)
            }
        }
        return try CLI.run(Array(arguments) + ["--now", now])
    }

    @Test("The service's and the cron line's commands run the nightly job; exit 1 is findings", arguments: [
        "contrib/access-audit.service", "contrib/access-audit.cron",
    ])
    func nightlyCommands(_ file: String) throws {
        let words = try Self.command(file)
        #expect(words.first == "/usr/bin/access-audit")
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for sub in ["state/history", "textfile"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let first = try run(words, in: directory, now: "2019-03-12T02:00:00Z")
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stdout.isEmpty && first.stderr.isEmpty, "cron mails what it prints: \(first.stdout)\(first.stderr)")
        let second = try run(words, in: directory, now: "2019-03-13T02:00:00Z")
        #expect([0, 1].contains(second.status), "\(second.stderr)")
        let history = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("state/history").path)
        #expect(history.sorted() == ["access-audit-2019-03-12T020000Z.json", "access-audit-2019-03-13T020000Z.json"])
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("textfile/access-audit.prom").path))
    }

    @Test("The service treats exit 1 (findings) as success; the timer runs nightly and catches up")
    func unitSettings() throws {
        let service = try String(contentsOf: CLI.root.appendingPathComponent("contrib/access-audit.service"), encoding: .utf8)
        #expect(service.contains("\nSuccessExitStatus=1\n"))
        #expect(service.contains("\nProtectSystem=strict\n"))
        #expect(service.contains("\nUser=access-audit\n"))
        let timer = try String(contentsOf: CLI.root.appendingPathComponent("contrib/access-audit.timer"), encoding: .utf8)
        #expect(timer.contains("\nOnCalendar=*-*-* 02:00:00\n"))
        #expect(timer.contains("\nPersistent=true\n"))
    }
}
