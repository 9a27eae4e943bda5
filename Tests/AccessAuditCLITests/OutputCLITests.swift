import AccessAuditKit
import Foundation
import Testing

/// Nothing the tool writes can destroy a file: `--output` and `--remediation-sql` refuse inputs
/// and non-regular files, write through symlinks, keep modes, and `-` is standard output.
struct OutputCLITests {
    static let now = ["--now", "2019-03-13T02:00:00Z"]

    /// A temporary directory holding the sample as a SQLite file (`db.sqlite`).
    final class Workspace {
        let directory: URL
        var database: String { path("db.sqlite") }

        init() throws {
            directory = try CLI.temporaryDirectory()
            let connection = try Connection(creatingNewFileAt: directory.appendingPathComponent("db.sqlite").path)
            try connection.executeScript(try String(contentsOf: CLI.root.appendingPathComponent("samples/national-statistics.sql"), encoding: .utf8))
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// Exit 2 with exactly one line on stderr, nothing on stdout, no crash.
    static func expectRefused(_ result: CLI.Result, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.crashed && !result.timedOut, sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("access-audit: error: "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fragment), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test("--output or --remediation-sql naming an input (the database, its -wal/-journal, a hard link, waivers, baseline, config, diff's reports) is refused")
    func outputIsAnInput() throws {
        let space = try Workspace()
        let db = space.database
        let original = Self.bytes(db)
        for option in ["--output", "--remediation-sql"] {
            let extra = option == "--remediation-sql" ? ["--actor", "admin"] : []
            Self.expectRefused(try CLI.run(["audit", db, option, db] + extra + Self.now), "same file as the input")
            #expect(Self.bytes(db) == original)
            for suffix in ["-wal", "-journal", "-shm"] {
                Self.expectRefused(try CLI.run(["audit", db, option, db + suffix] + extra + Self.now), "database's \(suffix) file")
                #expect(!FileManager.default.fileExists(atPath: db + suffix))
            }
        }
        try FileManager.default.linkItem(atPath: db, toPath: space.path("hard-link"))
        Self.expectRefused(try CLI.run(["audit", db, "--output", space.path("hard-link")] + Self.now), "same file as the input")
        Self.expectRefused(try CLI.run(["exposure", db, "--from", "2019-03-01", "--to", "2019-03-13", "--output", db]), "same file as the input")
        Self.expectRefused(try CLI.run(["timeline", db, "--account", "acc-010", "--output", db]), "same file as the input")
        #expect(Self.bytes(db) == original)

        // The side inputs: waivers, baseline, config; and both reports of diff.
        let waivers = space.path("waivers.yml")
        try FileManager.default.copyItem(atPath: CLI.root.appendingPathComponent("samples/waivers.yml").path, toPath: waivers)
        Self.expectRefused(try CLI.run(["audit", db, "--waivers", waivers, "--output", waivers] + Self.now), "same file as the input")
        let config = space.path("access-audit.yml")
        try "fail_on: high\n".write(toFile: config, atomically: true, encoding: .utf8)
        Self.expectRefused(try CLI.run(["audit", db, "--config", config, "--output", config] + Self.now), "same file as the input")
        let old = space.path("old.json")
        let new = space.path("new.json")
        #expect(try CLI.run(["audit", db, "--format", "json", "--output", old] + Self.now).status == 1)
        #expect(try CLI.run(["audit", db, "--format", "json", "--output", new] + Self.now).status == 1)
        let saved = Self.bytes(old)
        Self.expectRefused(try CLI.run(["audit", db, "--baseline", old, "--format", "json", "--output", old] + Self.now), "same file as the input")
        Self.expectRefused(try CLI.run(["diff", old, new, "--output", old]), "same file as the input")
        Self.expectRefused(try CLI.run(["diff", old, new, "--output", new]), "same file as the input")
        #expect(Self.bytes(old) == saved)
    }

    @Test("A FIFO, a directory, or a symlink to one is refused at once and left as it was")
    func nonRegularOutputs() throws {
        let space = try Workspace()
        let fifo = space.path("fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        let link = space.path("link-to-fifo")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fifo)
        for path in [fifo, link, space.directory.path] {
            for option in ["--output", "--remediation-sql"] {
                let extra = option == "--remediation-sql" ? ["--actor", "admin"] : []
                let result = try CLI.run(["audit", space.database, option, path] + extra + Self.now, timeout: 20)
                Self.expectRefused(result, "not a regular file")
            }
        }
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "still a FIFO")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == fifo)
        Self.expectRefused(try CLI.run(["diff", "old.json", "new.json", "--output", fifo], timeout: 20), "not a regular file")
    }

    @Test("A symlink is written through to its target (existing or not); the link stays; a link to the database is refused")
    func symlinkWrittenThrough() throws {
        let space = try Workspace()
        let target = space.path("target.txt")
        try "old report\n".write(toFile: target, atomically: true, encoding: .utf8)
        let link = space.path("report-link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.txt")
        #expect(try CLI.run(["audit", space.database, "--output", link] + Self.now).status == 1)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.txt")
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("access-audit audit of"))
        let dangling = space.path("dangling")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: space.path("new.txt"))
        #expect(try CLI.run(["audit", space.database, "--output", dangling] + Self.now).status == 1)
        #expect(Self.isSymlink(dangling))
        #expect(try String(contentsOfFile: space.path("new.txt"), encoding: .utf8).hasPrefix("access-audit audit of"))
        let toDatabase = space.path("db-link")
        try FileManager.default.createSymbolicLink(atPath: toDatabase, withDestinationPath: space.database)
        let original = Self.bytes(space.database)
        Self.expectRefused(try CLI.run(["audit", space.database, "--output", toDatabase] + Self.now), "same file as the input")
        #expect(Self.bytes(space.database) == original)
    }

    /// The process umask, read without changing it (umask(2) would race other tests).
    static func umask() throws -> mode_t {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
        return try #require(mode_t(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8))
    }

    static func mode(_ path: String) throws -> Int {
        try #require((try FileManager.default.attributesOfItem(atPath: path))[.posixPermissions] as? Int)
    }

    @Test("An existing report keeps its mode (0600 stays 0600) and, where it may, its owner; a new one is 0644 less the umask")
    func modeKept() throws {
        let space = try Workspace()
        let report = space.path("private.txt")
        try "old\n".write(toFile: report, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: report)
        // As root (CI), another user's report stays theirs.
        let root = getuid() == 0
        if root { #expect(chown(report, 65534, 65534) == 0) }
        let script = space.path("private.sql")
        try "old\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: script)
        let result = try CLI.run(["audit", space.database, "--output", report, "--remediation-sql", script, "--actor", "admin"] + Self.now)
        #expect(result.status == 1)
        #expect(try Self.mode(report) == 0o600)
        if root {
            let attributes = try FileManager.default.attributesOfItem(atPath: report)
            #expect(attributes[.ownerAccountID] as? Int == 65534 && attributes[.groupOwnerAccountID] as? Int == 65534)
        }
        #expect(try Self.mode(script) == 0o640)
        #expect(try String(contentsOfFile: report, encoding: .utf8).hasPrefix("access-audit audit of"))
        let fresh = space.path("fresh.txt")
        #expect(try CLI.run(["audit", space.database, "--output", fresh] + Self.now).status == 1)
        #expect(try Self.mode(fresh) == Int(0o644 & ~(try Self.umask())))
        // No temporary file is left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: space.directory.path)
        #expect(!names.contains { $0.hasSuffix(".tmp") }, "\(names)")
    }

    @Test("--output - is standard output; --remediation-sql - too, but not both")
    func dashIsStandardOutput() throws {
        let space = try Workspace()
        // CLI.run works in the repository root: a file named - would appear there.
        let dash = CLI.root.appendingPathComponent("-").path
        let result = try CLI.run(["audit", space.database, "--output", "-", "--format", "json"] + Self.now)
        let created = FileManager.default.fileExists(atPath: dash)
        if created { try? FileManager.default.removeItem(atPath: dash) }
        #expect(!created, "no file named -")
        #expect(result.status == 1)
        #expect(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) is [String: Any])
        let report = space.path("report.txt")
        let script = try CLI.run(["audit", space.database, "--output", report, "--remediation-sql", "-", "--actor", "admin"] + Self.now)
        #expect(script.status == 1)
        #expect(script.stdout.hasPrefix("-- access-audit remediation"))
        Self.expectRefused(
            try CLI.run(["audit", space.database, "--output", "-", "--remediation-sql", "-", "--actor", "admin"] + Self.now), "the same file")
    }

    @Test("--remediation-sql is written only after the report, never to the report's file, and needs --actor")
    func remediationAfterReport() throws {
        let space = try Workspace()
        let script = space.path("fix.sql")
        let failed = try CLI.run(
            ["audit", space.database, "--output", space.path("missing-dir/report.txt"), "--remediation-sql", script, "--actor", "admin"] + Self.now)
        Self.expectRefused(failed, "cannot create a file")
        #expect(!FileManager.default.fileExists(atPath: script), "no script when the report failed")
        let report = space.path("report.txt")
        Self.expectRefused(
            try CLI.run(["audit", space.database, "--output", report, "--remediation-sql", report, "--actor", "admin"] + Self.now), "the same file")
        try "x".write(toFile: report, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: space.path("alias.txt"), withDestinationPath: report)
        Self.expectRefused(
            try CLI.run(["audit", space.database, "--output", report, "--remediation-sql", space.path("alias.txt"), "--actor", "admin"] + Self.now),
            "the same file")
        #expect(try String(contentsOfFile: report, encoding: .utf8) == "x")
        #expect(try CLI.run(["audit", space.database, "--remediation-sql", script] + Self.now).status == 64)
        #expect(try CLI.run(["replay", space.database, "--as-of", "2019-03-10", "--remediation-sql", script, "--actor", "a"]).status == 64)
    }

    @Test("generate refuses an existing path, a dangling symlink and -")
    func generateRefuses() throws {
        let space = try Workspace()
        let dangling = space.path("dangling.db")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: space.path("elsewhere.db"))
        for path in [space.database, dangling, "-"] {
            let result = try CLI.run(["generate", path, "--accounts", "1"])
            #expect(result.status == 2, "\(path): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: space.path("elsewhere.db")))
        #expect(!FileManager.default.fileExists(atPath: CLI.root.appendingPathComponent("-").path))
    }
}

/// A failed write (a full disk, a closed standard output) is exit 2 with one line, never a crash.
extension OutputCLITests {
    /// Runs the binary under `/bin/sh` with standard output redirected as `redirect` says.
    static func run(_ arguments: [String], stdout redirect: String) throws -> CLI.Result {
        try CLI.run(
            ["-c", "exec \"$0\" \"$@\" \(redirect)", CLI.binary.path] + arguments, timeout: 60,
            executable: URL(fileURLWithPath: "/bin/sh"))
    }

    @Test("Standard output full (/dev/full) or closed: exit 2 with one line on stderr, for every command that writes it", arguments: [">/dev/full", ">&-"])
    func standardOutputFails(redirect: String) throws {
        let space = try Workspace()
        let commands: [[String]] = [
            ["audit", space.database] + Self.now,
            ["audit", space.database, "--format", "json"] + Self.now,
            ["audit", space.database, "--format", "csv"] + Self.now,
            ["audit", space.database, "--print-config"],
            ["exposure", space.database, "--from", "2019-03-01", "--to", "2019-03-13"],
            ["timeline", space.database, "--account", "acc-010"],
            ["rules"], ["schema"],
        ]
        for command in commands {
            let result = try Self.run(command, stdout: redirect)
            #expect(!result.crashed && result.status == 2, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("access-audit: error: standard output: "), "\(command): \(result.stderr)")
            #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(command): \(result.stderr)")
        }
        // A report written to a file is unaffected by the closed standard output.
        let report = space.path("report.txt")
        #expect(try Self.run(["audit", space.database, "--output", report] + Self.now, stdout: redirect).status == 1)
        #expect(try String(contentsOfFile: report, encoding: .utf8).hasPrefix("access-audit audit of"))
    }

    @Test("Standard output a pipe nobody reads (closed read end): exit 2 with one line, not SIGPIPE")
    func brokenPipe() throws {
        let space = try Workspace()
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["audit", space.database] + Self.now
        let out = Pipe()
        let err = Pipe()
        try out.fileHandleForReading.close()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "not killed by a signal")
        #expect(process.terminationStatus == 2)
        #expect(stderr.hasPrefix("access-audit: error: standard output: ") && stderr.filter { $0 == "\n" }.count == 1, "\(stderr)")
    }

    @Test("A full standard error loses the message but never crashes: still exit 2")
    func standardErrorFull() throws {
        let result = try CLI.run(
            ["-c", "exec \"$0\" \"$@\" 2>/dev/full", CLI.binary.path, "audit", "/nonexistent/db.sqlite"], timeout: 60,
            executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(!result.crashed && result.status == 2, "\(result.status)")
        // The profiling lines (ACCESS_AUDIT_PHASES) too: lost, not a crash.
        let database = CLI.root.appendingPathComponent("samples/national-statistics.sql").path
        let phases = try CLI.run(
            ["-c", "exec \"$0\" \"$@\" 2>/dev/full", CLI.binary.path, "audit", database] + Self.now,
            environment: ["ACCESS_AUDIT_PHASES": "1"], timeout: 60, executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(!phases.crashed && phases.status == 1, "\(phases.status)")
    }
}
