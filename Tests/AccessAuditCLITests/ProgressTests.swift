import AccessAuditKit
import Foundation
import Testing

/// The progress line (issue 4): drawn on stderr only when it is a terminal, never with `--quiet`,
/// never into a pipe, and erased before the report.
struct ProgressTests {
    static let hasScript = FileManager.default.isExecutableFile(atPath: "/usr/bin/script")

    /// Runs the binary under a pseudo-terminal (util-linux `script`), returning everything the
    /// terminal saw.
    func onTerminal(_ arguments: [String]) throws -> CLI.Result {
        let command = ([CLI.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try CLI.run(
            ["-q", "-e", "-c", command, "/dev/null"], environment: ["ACCESS_AUDIT_PROGRESS_AFTER": "0"],
            executable: URL(fileURLWithPath: "/usr/bin/script"))
    }

    func arguments(_ directory: URL, _ path: String) -> [String] {
        ["audit", path, "--now", "2026-06-01T00:00:00Z", "--format", "json", "--output", directory.appendingPathComponent("r.json").path]
    }

    @Test("On a terminal the rows read are shown on stderr and erased; --quiet shows nothing", .enabled(if: hasScript))
    func terminal() throws {
        let (directory, path) = try HardeningTests.temporaryDatabase(accounts: 3_000)
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = arguments(directory, path)
        let shown = try onTerminal(arguments)
        #expect(shown.status == 1, "\(shown.stderr)")
        #expect(shown.stdout.contains("rows read"), "no progress line on a terminal: \(shown.stdout)")
        #expect(shown.stdout.hasSuffix("\r\u{1B}[K"), "the line was not erased at the end")
        // The rows read can pass the tables' total (some are read twice): never shown as a share.
        #expect(!shown.stdout.contains(" of ~"), "\(shown.stdout)")

        let quiet = try onTerminal(arguments + ["--quiet"])
        #expect(quiet.status == 1)
        #expect(!quiet.stdout.contains("rows read"), "--quiet still drew: \(quiet.stdout)")
    }

    @Test("Into a pipe nothing is drawn")
    func pipe() throws {
        let (directory, path) = try HardeningTests.temporaryDatabase(accounts: 300)
        defer { try? FileManager.default.removeItem(at: directory) }
        let piped = try CLI.run(arguments(directory, path), environment: ["ACCESS_AUDIT_PROGRESS_AFTER": "0"])
        #expect(piped.status == 1)
        #expect(piped.stderr.isEmpty, "progress went into a pipe: \(piped.stderr)")
    }
}
