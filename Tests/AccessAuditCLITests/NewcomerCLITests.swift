import Foundation
import Testing

/// The small things a newcomer hit (issue 14): each message says what to do instead.
struct NewcomerCLITests {
    static let sample = "samples/national-statistics.sql"

    @Test("help nonsense and a mistyped subcommand are usage errors (64) with a suggestion")
    func unknownSubcommands() throws {
        let help = try CLI.run(["help", "nonsense"])
        #expect(help.status == 64)
        #expect(help.stderr.contains("Unknown subcommand 'nonsense'"), "\(help.stderr)")
        let typo = try CLI.run(["audt", Self.sample])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("Did you mean 'audit'?"), "\(typo.stderr)")
        #expect(try CLI.run(["timline"]).stderr.contains("Did you mean 'timeline'?"))
        // Real subcommands and help still work.
        #expect(try CLI.run(["help", "audit"]).status == 0)
        #expect(try CLI.run(["--version"]).status == 0)
    }

    @Test("A bad --now, --as-of or --from names the accepted forms")
    func badTimestamp() throws {
        for arguments in [
            ["audit", Self.sample, "--now", "13/03/2019"], ["replay", Self.sample, "--as-of", "yesterday"],
            ["exposure", Self.sample, "--from", "2019-3-1", "--to", "2019-03-13"],
        ] {
            let result = try CLI.run(arguments)
            #expect(result.status == 64)
            #expect(result.stderr.contains("expected YYYY-MM-DD"), "\(result.stderr)")
            #expect(result.stderr.contains("2019-03-13T02:00:00Z"))
        }
    }

    @Test("--dormant-days -5 says which values it takes, not that a value is missing")
    func negativeDormantDays() throws {
        let result = try CLI.run(["audit", Self.sample, "--dormant-days", "-5"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--dormant-days must be from 0 to"), "\(result.stderr)")
        #expect(!result.stderr.contains("Missing value"))
    }

    @Test("timeline --account takes a username that names one account, and says it wants an id otherwise")
    func timelineUsername() throws {
        let byName = try CLI.run(["timeline", Self.sample, "--account", "spatel", "--format", "json"])
        #expect(byName.status == 0, "\(byName.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(byName.stdout.utf8)) as? [String: Any])
        #expect(object["account_id"] as? String == "acc-011")
        #expect(object["username"] as? String == "spatel")
        let unknown = try CLI.run(["timeline", Self.sample, "--account", "nobody"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--account wants an account_id"), "\(unknown.stderr)")
    }

    @Test("timeline --account: a username shared by several accounts is refused, naming them")
    func timelineAmbiguousUsername() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("twins.sql").path
        // A foreign system without the UNIQUE constraint gave two accounts one username.
        let sql = try String(contentsOf: CLI.root.appendingPathComponent(Self.sample), encoding: .utf8)
            .replacingOccurrences(of: "username      TEXT NOT NULL UNIQUE,", with: "username      TEXT NOT NULL,")
            + "\nUPDATE accounts SET username = 'twin' WHERE account_id IN ('acc-010', 'acc-011');\n"
        try sql.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CLI.run(["timeline", path, "--account", "twin"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("several accounts (acc-010, acc-011)"), "\(result.stderr)")
    }

    @Test("generate refuses to write SQLite into a .sql name")
    func generateSQLName() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("demo.SQL").path
        let result = try CLI.run(["generate", path, "--accounts", "10"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("ends in .sql"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("--print-config prints a file --config accepts, which gives the same settings back")
    func printConfigRoundTrip() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("in.yml").path
        try "disabled_rules: [above-default-level]\nseverity:\n  dormant-account: high\n".write(toFile: config, atomically: true, encoding: .utf8)
        let first = try CLI.run([
            "audit", Self.sample, "--config", config, "--fail-on", "medium", "--dormant-days", "30", "--format", "json", "--print-config",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let printed = directory.appendingPathComponent("printed.yml").path
        try first.stdout.write(toFile: printed, atomically: true, encoding: .utf8)
        let second = try CLI.run(["audit", Self.sample, "--config", printed, "--print-config"])
        #expect(second.status == 0, "\(second.stderr)")
        let settings = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("#") } }
        #expect(settings(first.stdout) == settings(second.stdout))
        #expect(settings(first.stdout).contains("fail_on: medium"))
        #expect(settings(first.stdout).contains("  dormant-account: high"))
    }
}
