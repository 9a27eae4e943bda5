import AccessAuditKit
import Foundation
import Testing

/// Issue 11: every run describes one complete, consistent snapshot of its input, or exits 2
/// saying why. Each test here is a way an earlier build gave a wrong verdict.
struct SnapshotTests {
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    static let accounts = 600

    /// A new database file: the contract's schema, then `sql`.
    static func write(_ sql: String, to path: String) throws {
        let connection = try Connection(creatingNewFileAt: path)
        try connection.executeScript(BundledSchema.sql + sql)
    }

    /// `accounts` clean accounts (each with one grant at its type's default level) and one
    /// national grant of an alliance account at the highest grant_id, in a table `grants_t`
    /// behind a `grants` view that takes a millisecond or two per row (a correlated counting
    /// CTE), so an audit reads for a few seconds; and 40 MB of padding, so hashing the file takes
    /// a while too. Returns the open writer.
    static func slowLive(_ path: String, journal: String) throws -> Connection {
        let writer = try Connection(creatingNewFileAt: path)
        try writer.execute("PRAGMA journal_mode = \(journal)")
        try writer.execute("PRAGMA synchronous = OFF")
        try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture)
        try writer.executeScript(
            """
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(accounts))
            INSERT INTO accounts SELECT 'acc-' || i, 'user' || i, 'User ' || i, 'CA1', 'active', '2026-01-01', '2026-05-30' FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(accounts))
            INSERT INTO grants SELECT i, 'acc-' || i, 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL FROM n;
            INSERT INTO grants VALUES (\(accounts + 1), 'u-ca', 'national', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL);
            ALTER TABLE grants RENAME TO grants_t;
            CREATE VIEW grants AS SELECT g.* FROM grants_t g WHERE
              (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2500 + 0 * g.grant_id) SELECT count(*) FROM c) > 0;
            CREATE TABLE padding(b);
            INSERT INTO padding VALUES (zeroblob(40000000));
            COMMIT;
            """)
        return writer
    }

    /// While a writer moves the national grant between grant_id 0 and the highest id, one commit
    /// after another, every audit (fingerprint included, as every audit has one) must see it
    /// exactly once: the read lock must never be lost mid-audit. (An earlier build hashed the
    /// file through a descriptor of its own while the audit read; on POSIX its close dropped
    /// SQLite's locks, the writer committed, and the audit saw the grant twice or not at all.)
    @Test("A writer that keeps committing never changes what one audit sees", arguments: ["DELETE", "WAL"])
    func continuousWriter(_ journal: String) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("live.db").path
        let writer = try Self.slowLive(path, journal: journal)
        let stop = Flag()
        let failed = Flag()
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let connection = writer
        let top = Self.accounts + 1
        Thread.detachNewThread {
            defer { done.signal() }
            while !stop.isSet {
                do {
                    try connection.execute(
                        "UPDATE grants_t SET grant_id = CASE WHEN grant_id = 0 THEN \(top) ELSE 0 END WHERE level = 'national'")
                } catch {
                    // Refused while an audit holds its lock (rollback journal): try again.
                    if !"\(error)".contains("locked") && !"\(error)".contains("busy") { failed.set() }
                }
                usleep(20_000)
            }
        }
        defer {
            stop.set()
            done.wait()
        }
        for run in 0..<3 {
            let output = directory.appendingPathComponent("r\(run).json").path
            let result = try CLI.run([
                "audit", path, "--now", "2026-06-01T00:00:00Z", "--format", "json", "--output", output, "--busy-timeout", "30000",
            ])
            #expect(result.status == 1, "\(result.stderr)")
            let data = try Data(contentsOf: URL(fileURLWithPath: output))
            let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let summary = try #require(report["summary"] as? [String: Any])
            #expect(summary["grants"] as? Int == Self.accounts + 1)
            let findings = try #require(report["findings"] as? [[String: Any]])
            #expect(findings.filter { $0["rule"] as? String == "level-exceeds-policy" }.count == 1, "run \(run) (\(journal))")
        }
        #expect(!failed.isSet)
    }

    /// The fingerprint is of the file as read inside the snapshot, through SQLite's handle.
    @Test("run.files is the SHA-256 and size of the audited file")
    func fingerprintOfTheFile() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        try Self.write(RuleExample.baseFixture + RuleExample.grant(7, "u-ca", "national"), to: path)
        let result = try CLI.run(["audit", path, "--now", "2026-06-01", "--format", "json"])
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let files = try #require((report["run"] as? [String: Any])?["files"] as? [[String: Any]])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let expected = RunMetadata.fingerprint(bytes, path: path)
        #expect(files.count == 1)
        #expect(files.first?["sha256"] as? String == expected.sha256)
        #expect(files.first?["size"] as? Int == bytes.count)
    }

    // MARK: --immutable copies

    /// A copy of `db` with a non-empty `-wal` holding a committed critical grant, or with a hot
    /// `-journal`, is not the copy of one state: refuse it rather than audit the main file alone.
    @Test("--immutable refuses a copy with a non-empty -wal or a -journal beside it")
    func immutableIncompleteCopy() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("copy.db").path
        try Self.write(RuleExample.baseFixture, to: path)
        #expect(try CLI.run(["audit", path, "--immutable", "--now", "2026-06-01"]).status == 0)

        try Data("not empty".utf8).write(to: URL(fileURLWithPath: path + "-wal"))
        let wal = try CLI.run(["audit", path, "--immutable", "--now", "2026-06-01"])
        #expect(wal.status == 2)
        #expect(wal.stderr.contains("-wal lies beside it") && wal.stderr.contains("without --immutable"), "\(wal.stderr)")
        #expect(wal.stderr.split(separator: "\n").count == 1)

        try FileManager.default.removeItem(atPath: path + "-wal")
        try Data().write(to: URL(fileURLWithPath: path + "-wal"))
        #expect(try CLI.run(["audit", path, "--immutable", "--now", "2026-06-01"]).status == 0, "an empty -wal holds nothing")

        try Data(repeating: 0xAB, count: 512).write(to: URL(fileURLWithPath: path + "-journal"))
        let journal = try CLI.run(["audit", path, "--immutable", "--now", "2026-06-01"])
        #expect(journal.status == 2)
        #expect(journal.stderr.contains("-journal lies beside it"), "\(journal.stderr)")
    }

    /// The real thing: a WAL database whose last commit (a national grant) is still in its
    /// `-wal`, copied file by file.
    @Test("--immutable on a WAL copy whose -wal holds a critical grant is exit 2, not PASS")
    func immutableWALCopy() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let live = directory.appendingPathComponent("live.db").path
        let writer = try Connection(creatingNewFileAt: live)
        try writer.execute("PRAGMA journal_mode = WAL")
        try writer.execute("PRAGMA wal_autocheckpoint = 0")
        try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture)
        try writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try writer.execute(RuleExample.grant(7, "u-ca", "national"))
        let copy = directory.appendingPathComponent("copy.db").path
        try FileManager.default.copyItem(atPath: live, toPath: copy)
        try FileManager.default.copyItem(atPath: live + "-wal", toPath: copy + "-wal")
        let result = try CLI.run(["audit", copy, "--immutable", "--now", "2026-06-01"])
        #expect(result.status == 2, "\(result.stdout)")
        // Without --immutable SQLite reads the -wal: the grant is found.
        let plain = try CLI.run(["audit", copy, "--now", "2026-06-01", "--format", "json"])
        #expect(plain.status == 1)
        #expect(plain.stdout.contains("level-exceeds-policy:grant:7"))
    }

    // MARK: corrupt files

    /// Points the grants b-tree's right-most child at its first child: that page is then
    /// referenced twice and the last leaf (the national grant) is never read. Reading row by row
    /// notices nothing; `PRAGMA quick_check` does.
    static func corruptGrantsTree(_ path: String) throws {
        let probe = try Connection(readOnlyPath: path)
        var root = 0
        var pageSize = 0
        try probe.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'grants'").forEachRow { root = Int($0.int64(0)) }
        try probe.prepare("PRAGMA page_size").forEachRow { pageSize = Int($0.int64(0)) }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let page = (root - 1) * pageSize
        #expect(bytes[page] == 0x05, "the grants root must be an interior table page")
        let firstCell = Int(bytes[page + 12]) << 8 | Int(bytes[page + 13])
        for offset in 0..<4 { bytes[page + 8 + offset] = bytes[page + firstCell + offset] }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Rollback journal: the check runs on a second connection beside the audit (it reads the
    /// same snapshot); WAL: on the audit's own connection, before it.
    @Test(
        "A grants b-tree with a page referenced twice is exit 2, not PASS; --no-integrity-check skips the check",
        arguments: ["DELETE", "WAL"])
    func corruptFile(_ journal: String) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("corrupt.db").path
        let padding = String(repeating: "x", count: 300)
        let grants = (1...60).map { RuleExample.grant($0, "u-prov", "organisation", by: "'admin.\($0).\(padding)'") }
        try Self.write(
            RuleExample.baseFixture + grants.joined(separator: ";\n") + ";\n" + RuleExample.grant(61, "u-ca", "national"), to: path)
        if journal == "WAL" {
            let writer = try Connection(creatingNewFileAt: path + ".new")
            try writer.execute("PRAGMA journal_mode = WAL")
            try writer.executeScript(
                BundledSchema.sql + RuleExample.baseFixture + grants.joined(separator: ";\n") + ";\n"
                    + RuleExample.grant(61, "u-ca", "national"))
            try writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: path + ".new", toPath: path)
        }
        let before = try CLI.run(["audit", path, "--now", "2026-06-01", "--format", "json"])
        #expect(before.status == 1 && before.stdout.contains("level-exceeds-policy:grant:61"))

        try Self.corruptGrantsTree(path)
        let result = try CLI.run(["audit", path, "--now", "2026-06-01"])
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stderr.contains("corrupt") && result.stderr.contains("quick_check"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        for command in [["replay", path, "--as-of", "2026-06-01"], ["exposure", path, "--from", "2026-01-01", "--to", "2026-06-01"]] {
            #expect(try CLI.run(command).status == 2, "\(command[0])")
        }
        // The user's own decision, for a file just checked: the check is skipped and says so.
        let skipped = try CLI.run(["audit", path, "--now", "2026-06-01", "--no-integrity-check", "--format", "json"])
        #expect(skipped.status != 2)
        #expect(skipped.stdout.contains("\"integrity_check\""))
    }
}

extension SnapshotTests {
    /// An earlier build kept the two ids apart in memory but printed both keys with U+FFFD, so
    /// in the JSON they were one key: each was "new" and "resolved" every night, and no waiver
    /// could match it.
    @Test("In the JSON, ids that differ only in invalid UTF-8 have distinct, ASCII keys")
    func keysInTheReport() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ghosts.db").path
        try Self.write(
            RuleExample.baseFixture + """
                INSERT INTO accounts VALUES (CAST(X'67686F7374FF' AS TEXT), 'g1', NULL, 'P1', 'disabled', '2026-01-01', NULL);
                INSERT INTO accounts VALUES (CAST(X'67686F7374FE' AS TEXT), 'g2', NULL, 'P1', 'disabled', '2026-01-01', NULL);
                INSERT INTO grants VALUES (1, CAST(X'67686F7374FF' AS TEXT), 'organisation', NULL, '2026-05-01', 'a', 'b', NULL);
                INSERT INTO grants VALUES (2, CAST(X'67686F7374FE' AS TEXT), 'organisation', NULL, '2026-05-01', 'a', 'b', NULL);
                """, to: path)
        let result = try CLI.run(["audit", path, "--now", "2026-06-01", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        let keys = findings.filter { $0["rule"] as? String == "inactive-account-access" }.compactMap { $0["key"] as? String }
        #expect(Set(keys) == ["inactive-account-access:account:ghost%FF", "inactive-account-access:account:ghost%FE"])
    }
}

extension SnapshotTests {
    /// An `access-audit.yml` in the current directory could disable `level-exceeds-policy` and
    /// lower every high rule: the run exited 0 and the JSON said `"level-exceeds-policy": 0`.
    /// Now a disabled rule is `not_checked`, never 0, and every format says at its top which
    /// file was used, what it disabled and what it changed.
    @Test("A configuration that changes the verdict is stated at the top of every format")
    func configurationIsStated() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "disabled_rules: [level-exceeds-policy]\nseverity:\n  self-approved: info\n".write(
            to: directory.appendingPathComponent("access-audit.yml"), atomically: true, encoding: .utf8)
        let sample = CLI.root.appendingPathComponent("samples/national-statistics.sql").path
        let base = ["audit", sample, "--now", "2019-03-13T02:00:00Z"]
        let json = try CLI.run(base + ["--format", "json"], in: directory)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Any])
        let byRule = try #require(summary["findings_by_rule"] as? [String: Int])
        #expect(byRule["level-exceeds-policy"] == nil, "a rule that did not run is never counted as 0")
        let notChecked = try #require(summary["not_checked"] as? [String: String])
        #expect(notChecked["level-exceeds-policy"]?.contains("access-audit.yml") == true)
        #expect(Set(byRule.keys).union(notChecked.keys) == Set(RuleRegistry.ids))
        #expect(Set(byRule.keys).isDisjoint(with: notChecked.keys))
        let configuration = try #require(report["configuration"] as? [String: Any])
        #expect(configuration["file"] as? String == "access-audit.yml")
        #expect(configuration["disabled_rules"] as? [String] == ["level-exceeds-policy"])
        #expect(configuration["severity_overrides"] as? [String: String] == ["self-approved": "info"])
        #expect(summary["verdict"] as? String == (json.status == 0 ? "pass" : "fail"))
        for format in ["text", "ndjson", "csv", "markdown", "html"] {
            let result = try CLI.run(base + ["--format", format], in: directory)
            // HTML: before the summaries (its inline stylesheet alone is ~3,800 characters).
            let top =
                format == "html"
                ? Substring(result.stdout.components(separatedBy: "<section class=\"summary\">").first ?? "") : result.stdout.prefix(4_000)
            #expect(top.contains("configuration: access-audit.yml"), "\(format)")
            #expect(top.contains("rule disabled by the configuration: level-exceeds-policy"), "\(format)")
            #expect(top.contains("severity changed by the configuration: self-approved high -&gt; info") || top.contains("self-approved high -> info"), "\(format)")
        }
    }

    @Test("replay lists history-mismatch and dormant-account as not checked")
    func replayNotChecked() throws {
        let sample = CLI.root.appendingPathComponent("samples/national-statistics.sql").path
        let result = try CLI.run(["replay", sample, "--as-of", "2019-03-07T12:00:00Z", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Any])
        let notChecked = try #require(summary["not_checked"] as? [String: String])
        #expect(Set(notChecked.keys) == ["history-mismatch", "dormant-account"])
        let byRule = try #require(summary["findings_by_rule"] as? [String: Int])
        #expect(byRule["dormant-account"] == nil && byRule["history-mismatch"] == nil)
        #expect(byRule["level-exceeds-policy"] == 2)
    }
}

extension SnapshotTests {
    /// An earlier build hashed the file on a `SCHED_IDLE` thread and the report waited for it:
    /// with busy processes on the machine, an audit of 0.44 s took 133 s. Here the audit shares
    /// one processor with two busy loops: normal-priority work gets about a third of it and
    /// finishes in a few seconds; idle-priority work would get almost none of it.
    @Test("The verdict never waits on work the scheduler may starve", .enabled(if: SnapshotTests.hasTaskset))
    func busyMachine() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("padded.db").path
        try Self.write(
            RuleExample.baseFixture + "CREATE TABLE padding(b); INSERT INTO padding VALUES (zeroblob(40000000));", to: path)
        let loops = try (0..<2).map { _ in
            let loop = Process()
            loop.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            loop.arguments = ["-c", "0", "/bin/sh", "-c", "while :; do :; done"]
            loop.standardInput = FileHandle.nullDevice
            loop.standardOutput = FileHandle.nullDevice
            loop.standardError = FileHandle.nullDevice
            try loop.run()
            return loop
        }
        defer {
            for loop in loops { kill(loop.processIdentifier, SIGKILL) }
            for loop in loops { loop.waitUntilExit() }
        }
        let result = try CLI.run(
            ["-c", "0", CLI.binary.path, "audit", path, "--now", "2026-06-01", "--format", "json"], timeout: 60,
            executable: URL(fileURLWithPath: "/usr/bin/taskset"))
        #expect(!result.timedOut, "the report waited on starved work")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"sha256\""))
    }

    static let hasTaskset = FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset")
    static let hasPython = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/python3")
    }
}

extension SnapshotTests {
    /// An index that disagrees with its table, made the way a corrupting writer could: a shadow
    /// table built from the grants with `shadowSQL` applied, indexed like `grants`, and the two
    /// indexes' root pages swapped in `sqlite_schema` (the library's connections are defensive, no
    /// writable_schema: Python's sqlite3 does it). `ORDER BY grant_id` on a table whose grant_id is
    /// not the rowid reads through such an index, and a covering one is read instead of the table.
    static let corruptIndexes: [(name: String, columns: String, shadowSQL: String, complaint: String)] = [
        // Found attacking the build: the national grant's entry is missing; exit 0.
        ("grants_by_id", "grant_id", """
            CREATE TABLE shadow(grant_id INTEGER);
            INSERT INTO shadow(rowid, grant_id) SELECT rowid, grant_id FROM grants WHERE grant_id <> 21;
            CREATE INDEX shadow_index ON shadow(grant_id);
            """, "holds 20 entries for the 21 rows"),
        // Found attacking the next build: the partial-index test was a substring of the SQL, so a
        // full index *named* with " WHERE " in it was never checked.
        ("\"grants WHERE id\"", "grant_id", """
            CREATE TABLE shadow(grant_id INTEGER);
            INSERT INTO shadow(rowid, grant_id) SELECT rowid, grant_id FROM grants WHERE grant_id <> 21;
            CREATE INDEX shadow_index ON shadow(grant_id);
            """, "holds 20 entries for the 21 rows"),
        // Equal counts, but a covering index says 'organisation' where the row says 'national'.
        ("grants_cover", "grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at", """
            CREATE TABLE shadow(grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at);
            INSERT INTO shadow(rowid, grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at) SELECT rowid, grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at FROM grants;
            UPDATE shadow SET level = 'organisation', account_id = 'u-prov' WHERE grant_id = 21;
            CREATE INDEX shadow_index ON shadow(grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at);
            """, "holds entries that differ"),
        // Equal counts, but the national grant's entry points at grant 1's row: grant 1 is read
        // twice, grant 21 never. (The entries (grant_id, rowid) come from a WITHOUT ROWID table,
        // where one "rowid" may repeat.)
        ("grants_by_id", "grant_id", """
            CREATE TABLE shadow(grant_id, r, PRIMARY KEY (r, grant_id)) WITHOUT ROWID;
            INSERT INTO shadow SELECT grant_id, rowid FROM grants WHERE grant_id <> 21;
            INSERT INTO shadow SELECT 21, rowid FROM grants WHERE grant_id = 1;
            CREATE INDEX shadow_index ON shadow(grant_id);
            """, "holds entries that differ"),
    ]

    @Test("An index that disagrees with its table (a missing entry, other values, a wrong rowid) is exit 2, not PASS",
          .enabled(if: SnapshotTests.hasPython), arguments: SnapshotTests.corruptIndexes.indices)
    func indexDisagreesWithItsTable(_ which: Int) throws {
        let corrupt = SnapshotTests.corruptIndexes[which]
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("index.db").path
        let schema = BundledSchema.sql.replacingOccurrences(of: "grant_id     INTEGER PRIMARY KEY", with: "grant_id     INTEGER")
        #expect(schema != BundledSchema.sql)
        let writer = try Connection(creatingNewFileAt: path)
        try writer.executeScript(
            schema + RuleExample.baseFixture + (1...20).map { RuleExample.grant($0, "u-prov", "organisation") + ";" }.joined()
                + RuleExample.grant(21, "u-ca", "national") + ";" + """
                \(corrupt.shadowSQL)
                CREATE INDEX \(corrupt.name) ON grants(\(corrupt.columns));
                """)
        let swap = Process()
        swap.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        swap.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            r = dict(c.execute("SELECT name, rootpage FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").fetchall())
            mine = [n for n in r if n != 'shadow_index' and n.startswith('grants')][0]
            c.execute('PRAGMA writable_schema = ON')
            c.execute("UPDATE sqlite_schema SET rootpage = ? WHERE name = ?", (r['shadow_index'], mine))
            c.execute("UPDATE sqlite_schema SET rootpage = ? WHERE name = 'shadow_index'", (r[mine],))
            c.commit()
            c.close()
            c = sqlite3.connect(sys.argv[1])
            c.execute('DROP TABLE shadow')
            c.commit()
            assert c.execute('PRAGMA quick_check').fetchall() == [('ok',)]
            """, path,
        ]
        swap.standardOutput = FileHandle.nullDevice
        try swap.run()
        swap.waitUntilExit()
        #expect(swap.terminationStatus == 0)
        let result = try CLI.run(["audit", path, "--now", "2026-06-01"])
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stderr.contains("index "), "\(result.stderr)")
        #expect(result.stderr.contains(corrupt.complaint), "\(result.stderr)")
        // The test's premise: the index answers a read of grants otherwise than the table does.
        // (The audit's own reads no longer go through it: grant_id is not the rowid here, so they
        // are sorted on the table (`TableOrder.idTerm`). Other plans, and other readers, could.)
        let reader = try Connection(readOnlyPath: path)
        func levels(_ access: String) throws -> [String] {
            var found: [String] = []
            try reader.prepare("SELECT level FROM grants \(access) ORDER BY grant_id").forEachRow { found.append($0.text(0) ?? "NULL") }
            return found
        }
        #expect(try levels("INDEXED BY \(corrupt.name)") != levels("NOT INDEXED"), "the corrupt index reads as its table does")
    }

    @Test("Sound indexes of every kind pass the check: partial, expression, covering, unique, on a WITHOUT ROWID table, beside a column named rowid, and several over one blob")
    func soundIndexesPass() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sound.db").path
        let schema = BundledSchema.sql.replacingOccurrences(of: "grant_id     INTEGER PRIMARY KEY", with: "grant_id     INTEGER")
        let writer = try Connection(creatingNewFileAt: path)
        try writer.executeScript(
            schema + RuleExample.baseFixture + (1...20).map { RuleExample.grant($0, "u-prov", "organisation") + ";" }.joined()
                + RuleExample.grant(21, "u-ca", "national") + ";" + """
                CREATE INDEX grants_partial ON grants(level) WHERE level = 'national';
                CREATE INDEX grants_expression ON grants(lower(level), grant_id);
                CREATE INDEX grants_cover ON grants(grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at);
                CREATE UNIQUE INDEX grants_unique ON grants(grant_id DESC);
                CREATE TABLE notes(rowid TEXT, body TEXT);
                INSERT INTO notes VALUES ('a', 'x'), (NULL, 'y');
                CREATE INDEX notes_by_rowid ON notes(rowid);
                CREATE TABLE pairs(a, b, PRIMARY KEY (a, b)) WITHOUT ROWID;
                INSERT INTO pairs VALUES (1, 2), (1, 3), ('x', X'00');
                CREATE INDEX pairs_by_b ON pairs(b);
                CREATE TABLE blobs(a, b);
                INSERT INTO blobs VALUES (X'0102', 1), (2.5, X'00'), ('t', NULL);
                CREATE INDEX blobs_a ON blobs(a);
                CREATE INDEX blobs_ab ON blobs(a, b);
                CREATE INDEX blobs_ba ON blobs(b, a);
                CREATE TABLE mixed(x, y);
                INSERT INTO mixed VALUES (x'41', 2.5), (1.5, 'a'), (x'', 1e300);
                CREATE INDEX mixed_x ON mixed(x);
                CREATE INDEX mixed_xy ON mixed(x, y);
                CREATE INDEX mixed_yx ON mixed(y, x);
                """)
        let result = try CLI.run(["audit", path, "--now", "2026-06-01", "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("level-exceeds-policy:grant:21"))
    }

    @Test("A grants view is read once: one that shows a national grant on a coin flip never gives a report without it")
    func grantsViewReadOnce() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("coin.db").path
        // Grant 2 (national, for a provider) is in the log and, on one read in two, in the view.
        // Read twice (the rules' scan, then the history pass on a second connection), a run
        // could see it only in the history pass: no level-exceeds-policy, and no mismatch either.
        try Self.write(
            RuleExample.baseFixture + "ALTER TABLE grants RENAME TO grants_t;"
                + "CREATE VIEW grants AS SELECT * FROM grants_t WHERE grant_id = 1 OR abs(random()) % 2 = 0;"
                + RuleExample.grant(1, "u-prov", "organisation").replacingOccurrences(of: "INTO grants(", with: "INTO grants_t(")
                + RuleExample.grant(2, "u-prov", "national").replacingOccurrences(of: "INTO grants(", with: "INTO grants_t(")
                + RuleExample.grantEvent(1, "2026-05-01T10:00:00Z", "grant", grant: 1, account: "u-prov", level: "'organisation'")
                + RuleExample.grantEvent(2, "2026-05-01T10:00:00Z", "grant", grant: 2, account: "u-prov", level: "'national'"),
            to: path)
        for _ in 0..<24 {
            let result = try CLI.run(["audit", path, "--now", "2026-06-01", "--format", "json"])
            // Seen: level-exceeds-policy; not seen: a history-mismatch (in the log, not in grants).
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stdout.contains("level-exceeds-policy:grant:2") || result.stdout.contains("history-mismatch:grant:2"))
        }
    }

    @Test("An indexed table whose columns take every name of the rowid cannot be checked: exit 2, not a verdict")
    func rowidNamesTaken() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let schema = BundledSchema.sql.replacingOccurrences(
            of: "grant_id     INTEGER PRIMARY KEY,", with: "grant_id     INTEGER, rowid, _rowid_, oid,")
        #expect(schema != BundledSchema.sql)
        let grants = RuleExample.baseFixture + RuleExample.grant(1, "u-prov", "organisation") + ";"
            + RuleExample.grant(2, "u-ca", "national") + ";"
        // Without an index nothing can read the table another way: audited as usual.
        let plain = directory.appendingPathComponent("plain.db").path
        try Connection(creatingNewFileAt: plain).executeScript(schema + grants)
        let audited = try CLI.run(["audit", plain, "--now", "2026-06-01", "--format", "json"])
        #expect(audited.status == 1, "\(audited.stderr)")
        #expect(audited.stdout.contains("level-exceeds-policy:grant:2"))
        // With one, an entry pointing at another row could hide grant 2: no verdict.
        let indexed = directory.appendingPathComponent("indexed.db").path
        try Connection(creatingNewFileAt: indexed).executeScript(schema + grants + "CREATE INDEX grants_by_id ON grants(grant_id);")
        let refused = try CLI.run(["audit", indexed, "--now", "2026-06-01"])
        #expect(refused.status == 2, "\(refused.stdout)")
        #expect(refused.stderr.contains("columns named rowid, _rowid_ and oid"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
    }

    @Test("--immutable through a symlink looks for the -wal beside the real file")
    func immutableSymlink() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = directory.appendingPathComponent("real.db").path
        try Self.write(RuleExample.baseFixture, to: real)
        try Data("committed pages".utf8).write(to: URL(fileURLWithPath: real + "-wal"))
        let link = directory.appendingPathComponent("link.db").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let result = try CLI.run(["audit", link, "--immutable", "--now", "2026-06-01"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("-wal lies beside it"), "\(result.stderr)")
    }
}
