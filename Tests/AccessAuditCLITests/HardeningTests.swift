import AccessAuditKit
import Foundation
import Testing

/// Broken, locked, concurrent and foreign databases (docs/RELIABILITY.md): each is exit 2 with one
/// line, or a correct audit; never a crash, a hang, a partial report, or a changed file.
struct HardeningTests {
    static func temporaryDatabase(accounts: Int = 300, seed: UInt64 = 5) throws -> (directory: URL, path: String) {
        let directory = try CLI.temporaryDirectory()
        let path = directory.appendingPathComponent("audit.db").path
        _ = try DatabaseGenerator.generate(to: path, options: .init(accounts: accounts, seed: seed))
        return (directory, path)
    }

    /// Exit 2 with exactly one line and no report, or a report that parses.
    func expectHandled(_ result: CLI.Result, _ what: String) {
        #expect(!result.crashed, "\(what): crashed")
        #expect(!result.timedOut, "\(what): hung")
        #expect([0, 1, 2].contains(result.status), "\(what): status \(result.status)")
        if result.status == 2 {
            #expect(result.stdout.isEmpty, "\(what): partial report")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(what): \(result.stderr)")
        } else {
            #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "\(what): report does not parse")
        }
    }

    @Test("Truncated and corrupted files: exit 2 with one line, or a correct audit; never a crash or hang")
    func corrupted() throws {
        let (directory, path) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var variants: [(String, Data)] = [
            ("truncated to half", original.prefix(original.count / 2)),
            ("truncated to one page", original.prefix(4_096)),
            ("truncated inside the header", original.prefix(50)),
            ("header only, no pages", original.prefix(100)),
        ]
        var random = SplitMix64(seed: 99)
        for index in 0..<16 {
            var bytes = [UInt8](original)
            // Flip bytes anywhere after the 16-byte magic (half the variants hit the first pages).
            let limit = index % 2 == 0 ? min(bytes.count - 1, 8_192) : bytes.count - 1
            for _ in 0..<24 { bytes[Int(random.int(16...Int64(limit)))] ^= UInt8(random.int(1...255)) }
            variants.append(("flipped bytes #\(index)", Data(bytes)))
        }
        for (what, data) in variants {
            let damaged = directory.appendingPathComponent("damaged.db").path
            try data.write(to: URL(fileURLWithPath: damaged))
            for command in [["audit", damaged, "--now", "2026-06-01T00:00:00Z"], ["replay", damaged, "--as-of", "2026-01-01"]] {
                expectHandled(try CLI.run(command + ["--format", "json"], timeout: 60), "\(what) \(command[0])")
            }
            try? FileManager.default.removeItem(atPath: damaged)
        }
    }

    @Test("A database locked by a writer: exit 2 after --busy-timeout, then a normal audit once it commits")
    func lockedByWriter() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("locked.db").path
        let writer = try Connection(creatingNewFileAt: path)
        try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture)
        try writer.execute("BEGIN EXCLUSIVE; INSERT INTO grants VALUES (1, 'u-ca', 'national', NULL, '2026-05-01', 'a', 'b', NULL)")
        let start = Date()
        let locked = try CLI.run(["audit", path, "--busy-timeout", "300"], timeout: 30)
        #expect(locked.status == 2)
        #expect(locked.stderr.contains("locked"), "\(locked.stderr)")
        #expect(locked.stdout.isEmpty)
        #expect(Date().timeIntervalSince(start) < 20)
        try writer.execute("COMMIT")
        let after = try CLI.run(["audit", path, "--now", "2026-06-01T00:00:00Z", "--format", "json"])
        #expect(after.status == 1)
        #expect(after.stdout.contains("level-exceeds-policy"))
    }

    @Test("WAL with a live writer in a transaction: the audit sees the last commit; db and -wal unchanged")
    func walLiveWriter() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("wal.db").path
        let writer = try Connection(creatingNewFileAt: path)
        try writer.execute("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0")
        try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture)
        try writer.execute("INSERT INTO grants VALUES (1, 'u-ca', 'alliance', NULL, '2026-05-01', 'a', 'b', NULL)")
        try writer.execute("BEGIN IMMEDIATE; INSERT INTO grants VALUES (2, 'u-ca', 'national', NULL, '2026-05-01', 'a', 'b', NULL)")
        let before = try [path, path + "-wal"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let result = try CLI.run(["audit", path, "--now", "2026-06-01T00:00:00Z", "--format", "json"], timeout: 60)
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["summary"] as? [String: Any])?["grants"] as? Int == 1)
        #expect(try [path, path + "-wal"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == before)
        try writer.execute("ROLLBACK")
    }

    @Test("Every command leaves a rollback-journal database and its directory exactly as they were")
    func readOnlyEverywhere() throws {
        let (directory, path) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let listing = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for command in [
            ["audit", path], ["replay", path, "--as-of", "2025-01-01"], ["exposure", path, "--from", "2020-01-01", "--to", "2026-06-01"],
            ["timeline", path, "--account", "acc-1000001"], ["audit", path, "--immutable"],
        ] {
            let result = try CLI.run(command)
            #expect([0, 1].contains(result.status), "\(command): \(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "\(command)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == listing, "\(command)")
        }
    }

    @Test("--immutable on a WAL copy creates no -wal or -shm")
    func immutableCopy() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("copy.db").path
        do {
            let writer = try Connection(creatingNewFileAt: path)
            try writer.execute("PRAGMA journal_mode = WAL")
            try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["copy.db"])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try CLI.run(["audit", path, "--immutable", "--now", "2026-06-01T00:00:00Z"])
        #expect(result.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["copy.db"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("A foreign schema through --map, from a .sql text and from a SQLite file")
    func foreignSchema() throws {
        let map = "samples/foreign/legacy-portal.map.sql"
        let expected = [
            "level-exceeds-policy:grant:11", "missing-approval:grant:11", "expired-grant:grant:13",
            "inactive-account-access:account:u4",
        ]
        func keys(_ result: CLI.Result) throws -> [String] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            return (object["findings"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
        }
        let fromText = try CLI.run(
            ["audit", "samples/foreign/legacy-portal.sql", "--map", map, "--now", "2019-03-13T02:00:00Z", "--format", "json"])
        #expect(fromText.status == 1)
        #expect(try keys(fromText) == expected)

        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("legacy.db").path
        let sample = try String(contentsOf: CLI.root.appendingPathComponent("samples/foreign/legacy-portal.sql"), encoding: .utf8)
        do {
            let writer = try Connection(creatingNewFileAt: path)
            try writer.executeScript(sample)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let fromFile = try CLI.run(["audit", path, "--map", map, "--now", "2019-03-13T02:00:00Z", "--format", "json"])
        #expect(try keys(fromFile) == expected)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)

        // A map cannot write to the source, and its errors name the map's line.
        let evil = directory.appendingPathComponent("evil.map.sql").path
        try "CREATE TEMP VIEW x AS SELECT 1;\nDELETE FROM src.people;\n".write(toFile: evil, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["audit", path, "--map", evil])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("evil.map.sql:2:"), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let incomplete = directory.appendingPathComponent("partial.map.sql").path
        try "CREATE TEMP VIEW grants AS SELECT 1 AS grant_id;\n".write(toFile: incomplete, atomically: true, encoding: .utf8)
        let missing = try CLI.run(["audit", path, "--map", incomplete])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing table access_levels"), "\(missing.stderr)")
    }
}

extension HardeningTests {
    @Test("A database on a read-only path (file 0444 in a 0555 directory) audits normally")
    func readOnlyPath() throws {
        let (directory, path) = try Self.temporaryDatabase()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            try? FileManager.default.removeItem(at: directory)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        // As root the permission bits do not bind; as any other user this proves no write access is needed.
        let result = try CLI.run(["audit", path, "--now", "2026-06-01T00:00:00Z", "--format", "json"])
        #expect([0, 1].contains(result.status), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["audit.db"])
    }
}
