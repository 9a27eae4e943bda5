import AccessAuditKit
import Foundation
import Testing

/// The history sort's temporary file end to end: a shuffled log spilled through `$TMPDIR` gives
/// the report the in-memory sort gives, and an unusable `$TMPDIR` is exit 2 with one line.
struct SortCLITests {
    @Test("Shuffled logs: spilled through TMPDIR, the same reports; an unusable TMPDIR is exit 2, one line, no report")
    func spillThroughTemporaryDirectory() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("shuffled.db").path
        _ = try DatabaseGenerator.generate(to: database, options: .init(accounts: 400, seed: 3, disorder: 1))
        let spillDirectory = directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: spillDirectory, withIntermediateDirectories: true)
        let spilling = ["ACCESS_AUDIT_SORT_MEMORY": "2048", "TMPDIR": spillDirectory.path]
        for arguments in [
            ["replay", database, "--as-of", "2026-06-01T00:00:00Z", "--format", "json"],
            ["exposure", database, "--from", "2018-01-01", "--to", "2026-06-01T00:00:00Z", "--format", "json"],
        ] {
            let inMemory = try CLI.run(arguments)
            let spilled = try CLI.run(arguments, environment: spilling)
            #expect(inMemory.status == 1 && spilled.status == 1, "\(arguments[0]): \(spilled.stderr)")
            #expect(spilled.stdout == inMemory.stdout, "\(arguments[0])")
            #expect(try FileManager.default.contentsOfDirectory(atPath: spillDirectory.path).isEmpty)
            let missing = directory.appendingPathComponent("missing").path
            let output = directory.appendingPathComponent("report.json").path
            let refused = try CLI.run(
                arguments + ["--output", output], environment: ["ACCESS_AUDIT_SORT_MEMORY": "2048", "TMPDIR": missing])
            #expect(refused.status == 2, "\(arguments[0])")
            #expect(refused.stderr.contains("temporary directory \(missing)"), "\(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }
}
