import AccessAuditKit
import Foundation
import Testing

/// Hostile inputs (docs/SECURITY.md, "Inputs"): a `.sql` dump, a `--map`, the audited file and
/// the numbers on the command line. Each is audited byte for byte, or refused with exit 2 and
/// one line saying where; nothing is written, nothing hangs, nothing grows without bound.
struct InputCLITests {
    /// A scratch directory with helpers to write inputs into it.
    final class Scratch {
        let directory: URL

        init() throws { directory = try CLI.temporaryDirectory() }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        /// A `.sql` input: the contract schema and the rule examples' base fixture, then `bytes`.
        func sql(_ name: String, _ bytes: [UInt8], base: Bool = true) throws -> String {
            let head = base ? Array((BundledSchema.sql + RuleExample.baseFixture + "\n").utf8) : []
            try Data(head + bytes).write(to: URL(fileURLWithPath: path(name)))
            return path(name)
        }

        func sql(_ name: String, _ text: String, base: Bool = true) throws -> String {
            try sql(name, Array(text.utf8), base: base)
        }

        /// A SQLite file: the contract schema, the base fixture, then `sql`.
        func database(_ name: String, _ sql: String) throws -> String {
            let writer = try Connection(creatingNewFileAt: path(name))
            try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture + sql)
            return path(name)
        }
    }

    /// Exit 2, nothing on stdout, exactly one line on stderr containing each of `contains`.
    func expectRefused(_ result: CLI.Result, _ contains: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.crashed && !result.timedOut, "crashed or hung", sourceLocation: sourceLocation)
        #expect(result.status == 2, "status \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        for text in contains { #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation) }
    }

    static let now = ["--now", "2026-06-01T00:00:00Z"]

    // MARK: .sql bytes survive the load

    @Test("A .sql load keeps every byte: ghost\\xFF and ghost\\xFE stay two accounts")
    func sqlBytesExact() throws {
        let scratch = try Scratch()
        let accounts = Array("INSERT INTO accounts VALUES ('ghost".utf8) + [0xFF]
            + Array("', 'ghost', NULL, 'CA1', 'active', '2026-01-01', '2026-05-30');\n".utf8)
        let grants = Array("INSERT INTO grants VALUES (1, 'ghost".utf8) + [0xFE]
            + Array("', 'alliance', NULL, '2026-05-01', 'a', 'b', NULL);\n".utf8)
        let path = try scratch.sql("ghost.sql", accounts + grants)
        let result = try CLI.run(["audit", path, "--format", "json"] + Self.now)
        #expect(result.status == 1, "\(result.stderr)")
        // The grant's account does not exist (0xFE is not 0xFF): unauditable, not a valid grant of ghost\xFF.
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = report["findings"] as? [[String: Any]] ?? []
        #expect(findings.map { $0["reason"] as? String } == ["unknown-account"], "\(findings)")
    }

    @Test("A NUL byte in a .sql or a map is refused naming its line, not the end of the load")
    func nulByte() throws {
        let scratch = try Scratch()
        let text = Array("INSERT INTO grants VALUES (1, 'u-prov', 'organisation', NULL, '2026-05-01', 'a', 'b', NULL);\n-- x".utf8)
            + [0] + Array("\nINSERT INTO grants VALUES (2, 'u-ca', 'national', NULL, '2026-05-01', 'a', 'b', NULL);\n".utf8)
        let path = try scratch.sql("nul.sql", text)
        let lines = (BundledSchema.sql + RuleExample.baseFixture + "\n").split(separator: "\n", omittingEmptySubsequences: false).count
        expectRefused(try CLI.run(["audit", path] + Self.now), "nul.sql:\(lines + 1): a NUL byte")

        let map = scratch.path("nul.map.sql")
        try Data(Array("CREATE TEMP VIEW a AS SELECT 1;\n\nSELECT '".utf8) + [0] + Array("';\n".utf8)).write(to: URL(fileURLWithPath: map))
        let source = try scratch.sql("plain.sql", "")
        expectRefused(try CLI.run(["audit", source, "--map", map] + Self.now), "nul.map.sql:3: a NUL byte")
    }

    // MARK: nothing a script says can write

    @Test("A .sql input cannot attach, vacuum into, detach, load an extension, set other pragmas or make virtual tables")
    func sqlRefusedStatements() throws {
        let scratch = try Scratch()
        let target = scratch.path("written.db")
        let cases: [(String, String)] = [
            ("ATTACH DATABASE '\(target)' AS p;\nCREATE TABLE p.t(x);\n", "ATTACH"),
            ("VACUUM INTO '\(target)';\n", "ATTACH or VACUUM INTO"),
            ("VACUUM;\n", "VACUUM"),
            ("DETACH DATABASE temp;\n", "DETACH"),
            ("SELECT load_extension('/nonexistent/x');\n", "load_extension()"),
            ("PRAGMA writable_schema = ON;\n", "PRAGMA writable_schema"),
            ("PRAGMA journal_mode = WAL;\n", "PRAGMA journal_mode"),
            ("CREATE VIRTUAL TABLE v USING fts5(x);\n", "a virtual table"),
        ]
        for (index, (statement, refused)) in cases.enumerated() {
            let path = try scratch.sql("evil\(index).sql", "SELECT 1;\n" + statement, base: false)
            expectRefused(try CLI.run(["audit", path] + Self.now), "evil\(index).sql:2: refused: \(refused)")
            #expect(!FileManager.default.fileExists(atPath: target), "\(statement) wrote \(target)")
        }
    }

    /// Found attacking the build: a dump ending in `CREATE TEMP TABLE grants AS SELECT … WHERE
    /// grant_id <> 1051` was audited through the temp copy (exit 0), while the database the dump
    /// builds keeps main.grants, with the national grant.
    @Test("A .sql input may not make temp objects, which would shadow its own tables", arguments: [
        "CREATE TEMP TABLE grants AS SELECT * FROM main.grants WHERE grant_id <> 2;",
        "CREATE TABLE temp.grants AS SELECT * FROM main.grants WHERE grant_id <> 2;",
        "CREATE TEMP VIEW grants AS SELECT * FROM main.grants WHERE grant_id <> 2;",
        "CREATE TEMPORARY VIEW accounts AS SELECT * FROM main.accounts WHERE account_id <> 'u-ca';",
    ])
    func sqlTempShadow(_ shadow: String) throws {
        let scratch = try Scratch()
        let path = try scratch.sql(
            "shadow.sql", "INSERT INTO grants VALUES (2, 'u-ca', 'national', NULL, '2026-05-01', 'a', 'b', NULL);\n" + shadow + "\n")
        let lines = (BundledSchema.sql + RuleExample.baseFixture + "\n").split(separator: "\n", omittingEmptySubsequences: false).count
        expectRefused(try CLI.run(["audit", path] + Self.now), "shadow.sql:\(lines + 1): refused: a temporary table, view")
    }

    @Test("A map cannot attach, detach, or write to the source; it may make temp views and tables")
    func mapRefusedStatements() throws {
        let scratch = try Scratch()
        let source = try scratch.database("source.db", "")
        let before = try Data(contentsOf: URL(fileURLWithPath: source))
        let target = scratch.path("written.db")
        let cases: [(String, String)] = [
            ("ATTACH DATABASE '\(target)' AS p;\n", "ATTACH"),
            ("DETACH DATABASE src;\n", "DETACH"),
            ("CREATE TABLE src.t(x);\n", "a change to schema 'src'"),
            ("INSERT INTO src.grants SELECT * FROM src.grants;\n", "a change to schema 'src'"),
            ("VACUUM src INTO '\(target)';\n", "ATTACH or VACUUM INTO"),
        ]
        for (index, (statement, refused)) in cases.enumerated() {
            let map = scratch.path("evil\(index).map.sql")
            try ("CREATE TEMP VIEW x AS SELECT 1;\n" + statement).write(toFile: map, atomically: true, encoding: .utf8)
            expectRefused(try CLI.run(["audit", source, "--map", map] + Self.now), "evil\(index).map.sql:2: refused: \(refused)")
            #expect(!FileManager.default.fileExists(atPath: target), "\(statement) wrote \(target)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: source)) == before)
        // What maps are for still works: temp views over src, a temp table, a trigger on it.
        let good = scratch.path("good.map.sql")
        try """
            CREATE TEMP TABLE seen(n);
            CREATE TEMP TRIGGER t AFTER INSERT ON seen BEGIN SELECT 1; END;
            INSERT INTO seen VALUES (1);
            PRAGMA foreign_keys = OFF;
            \(ContractSchema.tables.map { "CREATE TEMP VIEW \($0.name) AS SELECT * FROM src.\($0.name);" }.joined(separator: "\n"))
            """.write(toFile: good, atomically: true, encoding: .utf8)
        let result = try CLI.run(["audit", source, "--map", good] + Self.now)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("Every bundled sample still loads")
    func samplesLoad() throws {
        for sample in ["samples/clean.sql", "samples/national-statistics.sql"] {
            let result = try CLI.run(["audit", sample, "--format", "json"] + Self.now)
            #expect([0, 1].contains(result.status), "\(sample): \(result.stderr)")
        }
        let foreign = try CLI.run(
            ["audit", "samples/foreign/legacy-portal.sql", "--map", "samples/foreign/legacy-portal.map.sql"] + Self.now)
        #expect(foreign.status == 1, "\(foreign.stderr)")
    }

    // MARK: only regular files, and bounded

    @Test("A FIFO, /dev/zero or a symlink to it: exit 2 at once, 'not a regular file'")
    func notRegularFiles() throws {
        let scratch = try Scratch()
        for name in ["fifo.db", "fifo.sql", "fifo.map.sql", "fifo.yml", "fifo.json"] { #expect(mkfifo(scratch.path(name), 0o600) == 0) }
        try FileManager.default.createSymbolicLink(atPath: scratch.path("zero.sql"), withDestinationPath: "/dev/zero")
        let source = try scratch.sql("plain.sql", "")
        let cases: [([String], String)] = [
            (["audit", scratch.path("fifo.db")], "fifo.db: not a regular file"),
            (["audit", scratch.path("fifo.sql")], "fifo.sql: not a regular file"),
            (["audit", source, "--map", scratch.path("fifo.map.sql")], "fifo.map.sql: not a regular file"),
            (["audit", "/dev/zero"], "/dev/zero: not a regular file"),
            (["audit", scratch.path("zero.sql")], "zero.sql: not a regular file"),
            (["timeline", "/dev/zero", "--account", "x"], "/dev/zero: not a regular file"),
            (["audit", source, "--waivers", scratch.path("fifo.yml")], "fifo.yml: not a regular file"),
            (["audit", source, "--config", scratch.path("fifo.yml")], "fifo.yml: not a regular file"),
            (["audit", source, "--baseline", scratch.path("fifo.json")], "fifo.json: not a regular file"),
        ]
        for (arguments, message) in cases {
            let start = Date()
            expectRefused(try CLI.run(arguments + (arguments[0] == "audit" ? Self.now : []), timeout: 20), message)
            #expect(Date().timeIntervalSince(start) < 10)
        }
    }

    @Test("A large .sql loads in linear time (SQLite parses it in place, never copying the rest per statement)")
    func largeScriptLoads() throws {
        let scratch = try Scratch()
        var rows = ""
        for index in 0..<100_000 {
            rows += "INSERT INTO accounts VALUES ('u\(index)', 'n\(index)', NULL, 'P1', 'active', '2026-01-01', '2026-05-30');\n"
        }
        let path = try scratch.sql("large.sql", rows)
        let start = Date()
        let result = try CLI.run(["audit", path, "--format", "json", "--timeout", "120"] + Self.now, timeout: 150)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"accounts\": 100006"))
        #expect(Date().timeIntervalSince(start) < 90)
    }

    @Test("A .sql larger than the limit is refused before it is read")
    func oversizedScript() throws {
        let scratch = try Scratch()
        let path = scratch.path("huge.sql")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("SELECT 1;\n".utf8)))
        // Sparse: no disk space, no time.
        #expect(truncate(path, off_t(ReadLimits.maxScriptBytes + 1)) == 0)
        expectRefused(try CLI.run(["audit", path] + Self.now, timeout: 20), "huge.sql: larger than \(ReadLimits.maxScriptBytes) bytes")
    }

    @Test("--timeout ends a runaway view, .sql load or map with exit 2 naming what was read")
    func timeout() throws {
        let scratch = try Scratch()
        let forever = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c WHERE x < 0"
        let view = """
            DROP TABLE grants;
            CREATE VIEW grants AS SELECT x AS grant_id, 'u-ca' AS account_id, 'national' AS level, NULL AS scope_org_id,
              '2026-05-01' AS granted_at, 'a' AS granted_by, 'b' AS approved_by, NULL AS expires_at FROM (\(forever));
            """
        let database = try scratch.database("loop.db", view)
        let start = Date()
        expectRefused(try CLI.run(["audit", database, "--timeout", "2"] + Self.now, timeout: 60), "reading grants", "timed out after 2 s")
        #expect(Date().timeIntervalSince(start) < 30)
        // Every command that reads a database has it: a runaway grant_events view.
        let events = try scratch.database(
            "events.db",
            """
            DROP TABLE grant_events;
            CREATE VIEW grant_events AS SELECT x AS event_id, '2026-01-01' AS occurred_at, 'grant' AS action, x AS grant_id,
              'u-ca' AS account_id, 'national' AS level, NULL AS scope_org_id, 'a' AS actor, 'b' AS approved_by,
              NULL AS expires_at, NULL AS note FROM (\(forever));
            """)
        for command in [
            ["replay", events, "--as-of", "2026-01-01"], ["exposure", events, "--from", "2026-01-01", "--to", "2026-02-01"],
            ["timeline", events, "--account", "u-ca"], ["audit", events] + Self.now,
            ["investigate", events, "--account", "u-ca"], ["actors", events],
        ] {
            expectRefused(try CLI.run(command + ["--timeout", "1"], timeout: 60), "reading grant_events", "timed out after 1 s")
        }
        // The settings file's timeout, for the nightly job.
        let config = scratch.path("access-audit.yml")
        try "timeout: 2\n".write(toFile: config, atomically: true, encoding: .utf8)
        expectRefused(try CLI.run(["audit", database, "--config", config] + Self.now, timeout: 60), "timed out after 2 s")

        let script = try scratch.sql("loop.sql", "SELECT 1;\nSELECT count(*) FROM (\(forever));\n", base: false)
        expectRefused(try CLI.run(["audit", script, "--timeout", "2"] + Self.now, timeout: 60), "loop.sql:2: timed out after 2 s")
        // Many short statements (the progress handler counts steps within one statement only).
        var many = "SELECT 1;\n"
        for index in 0..<300_000 { many += "INSERT INTO t VALUES (\(index), 'a fairly ordinary row of a large dump');\n" }
        let long = try scratch.sql("many.sql", "CREATE TABLE t(a, b);\n" + many, base: false)
        expectRefused(try CLI.run(["audit", long, "--timeout", "1"] + Self.now, timeout: 60), "many.sql:", "timed out after 1 s")
        let map = scratch.path("loop.map.sql")
        try "SELECT count(*) FROM (\(forever));\n".write(toFile: map, atomically: true, encoding: .utf8)
        expectRefused(try CLI.run(["audit", database, "--map", map, "--timeout", "2"] + Self.now, timeout: 60), "loop.map.sql:1: timed out")
    }

    // MARK: one value cannot exhaust memory

    @Test("A value longer than --max-value-bytes is refused naming the table; a raised limit audits it in full")
    func hugeValue() throws {
        let scratch = try Scratch()
        let zeroblob = try scratch.database(
            "zeroblob.db",
            """
            DROP TABLE accounts;
            CREATE VIEW accounts AS SELECT 'u-ca' AS account_id, zeroblob(999999999) AS username, NULL AS display_name,
              'CA1' AS org_id, 'active' AS status, '2026-01-01' AS created_at, NULL AS last_login_at;
            """)
        let start = Date()
        expectRefused(try CLI.run(["audit", zeroblob] + Self.now, timeout: 60), "reading accounts", "--max-value-bytes (1048576 bytes)")
        #expect(Date().timeIntervalSince(start) < 20)

        let stored = try scratch.database(
            "stored.db",
            "INSERT INTO grants VALUES (1, 'u-ca', 'alliance', NULL, '2026-05-01', 'a', printf('%.*c', 2000000, 'y'), NULL);")
        expectRefused(try CLI.run(["audit", stored] + Self.now), "reading grants", "--max-value-bytes")
        let raised = try CLI.run(["audit", stored, "--max-value-bytes", "4194304", "--format", "json"] + Self.now)
        #expect([0, 1].contains(raised.status), "\(raised.stderr)")
        #expect(raised.stdout.contains(String(repeating: "y", count: 2_000_000)))
        // A .sql whose literal is too long fails at its line.
        let script = try scratch.sql("long.sql", "SELECT 1;\nSELECT '\(String(repeating: "z", count: 1_100_000))';\n", base: false)
        expectRefused(try CLI.run(["audit", script] + Self.now), "long.sql:2:")
    }

    // MARK: numbers

    @Test("Out-of-range numbers are usage errors (64) or config errors naming the line (2), never a trap")
    func numbers() throws {
        let scratch = try Scratch()
        let database = try scratch.sql("ok.sql", "")
        for arguments in [
            ["audit", database, "--dormant-days", "106751992000000"], ["audit", database, "--dormant-days", "3652059"],
            ["audit", database, "--timeout", "0"], ["audit", database, "--timeout", "604801"],
            ["audit", database, "--max-value-bytes", "0"], ["audit", database, "--max-value-bytes", "2147483648"],
            ["audit", database, "--busy-timeout", "2147483648"],
            ["generate", scratch.path("g.db"), "--accounts", "1000000000000000"],
            // Found attacking the next build: --window-days above Int64.max / 86400 trapped.
            ["investigate", database, "--account", "u-ca", "--window-days", "106751991167301"],
            ["investigate", database, "--account", "u-ca", "--window-days", "3652059"],
            ["investigate", database, "--account", "u-ca", "--window-days", "9223372036854775807"],
            ["exposure", database, "--from", "2026-01-01", "--to", "2026-06-01", "--timeout", "604801"],
            ["timeline", database, "--account", "u-ca", "--max-value-bytes", "2147483648"],
            ["actors", database, "--busy-timeout", "2147483648"],
            ["audit", database, "--history-dir", scratch.path("h"), "--keep", "0"],
        ] {
            let result = try CLI.run(arguments)
            #expect(result.status == 64 && !result.crashed, "\(arguments): \(result.status) \(result.stderr)")
        }
        // The longest dormancy accepted still works.
        #expect(try CLI.run(["audit", database, "--dormant-days", "3652058"] + Self.now).status == 0)
        let widest = try CLI.run(["investigate", "samples/national-statistics.sql", "--account", "acc-010", "--window-days", "3652058"])
        #expect(widest.status == 1 && !widest.crashed, "\(widest.stderr)")
        for (line, setting) in [
            "dormant_days: 106751992000000", "dormant_days: -1", "timeout: 0", "timeout: 1e9", "max_value_bytes: 99999999999",
        ].enumerated() {
            let config = scratch.path("c\(line).yml")
            try "fail_on: high\n\(setting)\n".write(toFile: config, atomically: true, encoding: .utf8)
            expectRefused(try CLI.run(["audit", database, "--config", config] + Self.now), "c\(line).yml:2:")
        }
    }

    // MARK: errors say where

    @Test("A view failing at row N names the table and the rows read; read-only WAL points to --immutable")
    func errorsSayWhere() throws {
        let scratch = try Scratch()
        let json = try scratch.database(
            "json.db",
            """
            DROP TABLE accounts;
            CREATE TABLE raw(n);
            INSERT INTO raw VALUES (1), (2), (3), (4);
            CREATE VIEW accounts AS SELECT 'u' || n AS account_id, json_extract(CASE n WHEN 4 THEN '{' ELSE '{}' END, '$.a') AS username,
              NULL AS display_name, 'CA1' AS org_id, 'active' AS status, '2026-01-01' AS created_at, NULL AS last_login_at FROM raw;
            """)
        // A view has no rowid, so its rows are sorted by value (`TableOrder`) before the first comes:
        // the failure is met before any row is handed over.
        expectRefused(try CLI.run(["audit", json] + Self.now), "reading accounts before its first row: malformed JSON")
        let overflow = try scratch.database(
            "overflow.db",
            """
            DROP TABLE grants;
            CREATE VIEW grants AS SELECT 1 AS grant_id, 'u-ca' AS account_id, abs(-9223372036854775807 - 1) AS level,
              NULL AS scope_org_id, '2026-05-01' AS granted_at, NULL AS granted_by, NULL AS approved_by, NULL AS expires_at;
            """)
        expectRefused(try CLI.run(["audit", overflow] + Self.now), "reading grants", "integer overflow")

        // A WAL database whose -shm cannot be created (as on read-only media): say what reads it.
        let wal = scratch.path("wal.db")
        do {
            let writer = try Connection(creatingNewFileAt: wal)
            try writer.execute("PRAGMA journal_mode = WAL")
            try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture)
        }
        try FileManager.default.createSymbolicLink(atPath: wal + "-shm", withDestinationPath: "/nonexistent/shm")
        expectRefused(try CLI.run(["audit", wal] + Self.now), "unable to open database file", "--immutable reads such a copy")
        #expect(try CLI.run(["audit", wal, "--immutable"] + Self.now).status == 0)
    }
}
