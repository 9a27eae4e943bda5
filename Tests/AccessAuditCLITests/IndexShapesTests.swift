import AccessAuditKit
import Foundation
import Testing

/// Found attacking the next build: indexes the index check leaves out answered a read. The check
/// (`DatabaseAudit.checkIndexes`) proves every full index of a rowid table holds its table's rows;
/// the audit's own full scans can use no other. But a `grants` view's `WHERE` may be answered from
/// a partial or an expression index, and a `WITHOUT ROWID` table's covering index holds no rowid to
/// compare: one missing the national grant's entry hid it (PASS, exit 0) while `quick_check`
/// passed. A contract table read as anything but an ordinary rowid table now gets
/// `PRAGMA integrity_check` (`DatabaseAudit.needsFullCheck`).
struct IndexShapesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// The tables (after the bundled schema's `grants` is dropped or replaced) and rows.
        let schema: String
        /// The index as built (it disagrees with its table) and the SQL the schema is then made to
        /// show (what a sound index would be).
        let index: String
        let shown: String
        var testDescription: String { name }
    }

    static let grantColumns = "grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at"
    static let rows = """
        INSERT INTO grants_all VALUES (0, 1, 'u-prov', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL);
        INSERT INTO grants_all VALUES (0, 2, 'u-prov', 'national', NULL, '2026-05-02', 'admin.one', 'approver.two', NULL);
        INSERT INTO grants_all VALUES (0, 3, 'u-ca', 'organisation', NULL, '2026-05-03', 'admin.one', 'approver.two', NULL);
        """
    static func live(_ condition: String) -> String {
        "CREATE TABLE grants_all (revoked INTEGER NOT NULL, \(grantColumns));" + rows
            + "DROP TABLE grants; CREATE VIEW grants AS SELECT \(grantColumns) FROM grants_all WHERE \(condition);"
    }

    static let cases = [
        Case(
            name: "a partial index behind a view's WHERE",
            schema: live("revoked = 0"),
            index: "CREATE INDEX live ON grants_all(revoked) WHERE revoked = 0 AND grant_id <> 2",
            shown: "CREATE INDEX live ON grants_all(revoked) WHERE revoked = 0"),
        Case(
            name: "an expression index behind a view's WHERE",
            schema: live("revoked + 0 = 0"),
            index: "CREATE INDEX live ON grants_all(revoked + (grant_id = 2))",
            shown: "CREATE INDEX live ON grants_all(revoked + 0)"),
        Case(
            name: "a covering index of a WITHOUT ROWID grants, read directly",
            schema: """
                DROP TABLE grants;
                CREATE TABLE grants (grant_id INTEGER NOT NULL, account_id TEXT, level TEXT, scope_org_id TEXT, granted_at TEXT NOT NULL,
                  granted_by TEXT, approved_by TEXT, expires_at TEXT, PRIMARY KEY (granted_at, grant_id)) WITHOUT ROWID;
                INSERT INTO grants VALUES (1, 'u-prov', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
                  (2, 'u-prov', 'national', NULL, '2026-05-02', 'admin.one', 'approver.two', NULL),
                  (3, 'u-ca', 'organisation', NULL, '2026-05-03', 'admin.one', 'approver.two', NULL);
                """,
            index: "CREATE INDEX ix ON grants(account_id, level, scope_org_id, granted_by, approved_by, expires_at) WHERE 0",
            shown: "CREATE INDEX ix ON grants(account_id, level, scope_org_id, granted_by, approved_by, expires_at)"),
    ]

    /// Writes the case's database; `corrupt`: the index disagrees with its table, its SQL says not.
    static func database(_ test: Case, corrupt: Bool, at path: String) throws {
        let writer = try Connection(creatingNewFileAt: path)
        // Each grant logged as it was made, so replay has a history to read.
        let logged = "INSERT INTO grant_events(event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, approved_by, "
            + "expires_at) SELECT grant_id, granted_at, 'grant', grant_id, account_id, level, scope_org_id, granted_by, approved_by, expires_at FROM grants;"
        try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture + test.schema + logged + (corrupt ? "" : test.shown + ";"))
        // The premise (checked by `rewrite`): quick_check passes, integrity_check does not.
        if corrupt { try ExpressionIndexTests.python(Self.rewrite, [path, test.index, test.shown]) }
    }

    @Test("An index the index check leaves out disagrees with its table: exit 2; the sound file's national grant is found", arguments: cases)
    func leftOutIndex(_ test: Case) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sound = directory.appendingPathComponent("sound.db").path
        let corrupt = directory.appendingPathComponent("corrupt.db").path
        try Self.database(test, corrupt: false, at: sound)
        try Self.database(test, corrupt: true, at: corrupt)
        for command in [["audit", "--now", "2026-06-01"], ["replay", "--as-of", "2026-06-01"]] {
            let good = try CLI.run([command[0], sound] + command.dropFirst() + ["--format", "json", "--quiet"])
            #expect(good.status == 1, "\(command[0]): \(good.stderr)")
            #expect(good.stdout.contains("level-exceeds-policy:grant:2"), "\(command[0])")
            let bad = try CLI.run([command[0], corrupt] + command.dropFirst() + ["--quiet"])
            #expect(bad.status == 2, "\(command[0]): \(bad.stdout.prefix(500))")
            #expect(bad.stderr.contains("integrity_check"), "\(bad.stderr)")
        }
    }
}

extension IndexShapesTests {
    /// The same through `--map`: its TEMP VIEWs exist only on the audit's own connection (the
    /// check may run on a second one), and the legacy portal's `grants` view reads `permissions`
    /// `WHERE revoked = 0`, answered from a partial index missing grant 11 (NATIONAL held by an
    /// alliance user).
    @Test("--map: a TEMP VIEW's WHERE answered from a partial index that disagrees with its table is exit 2")
    func mappedView() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("legacy.db").path
        let sample = CLI.root.appendingPathComponent("samples/foreign")
        do {
            let writer = try Connection(creatingNewFileAt: path)
            try writer.executeScript(try String(contentsOf: sample.appendingPathComponent("legacy-portal.sql"), encoding: .utf8))
            try writer.executeScript("ALTER TABLE permissions ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;")
        }
        let map = directory.appendingPathComponent("map.sql")
        let original = try String(contentsOf: sample.appendingPathComponent("legacy-portal.map.sql"), encoding: .utf8)
        let filtered = original.replacingOccurrences(of: " FROM permissions;", with: " FROM permissions WHERE revoked = 0;")
        #expect(filtered != original)
        try filtered.write(to: map, atomically: true, encoding: .utf8)
        let command = ["audit", path, "--map", map.path, "--now", "2026-06-01", "--quiet", "--format", "json"]
        let sound = try CLI.run(command)
        #expect(sound.status == 1 && sound.stdout.contains("\"grant_id\": 11,"), "\(sound.stderr)")
        try ExpressionIndexTests.python(
            Self.rewrite,
            [path, "CREATE INDEX live ON permissions(revoked) WHERE revoked = 0 AND perm_no <> 11", "CREATE INDEX live ON permissions(revoked) WHERE revoked = 0"])
        let corrupt = try CLI.run(command)
        #expect(corrupt.status == 2, "\(corrupt.stdout.prefix(300))")
        #expect(corrupt.stderr.contains("integrity_check"), "\(corrupt.stderr)")
    }
}

extension IndexShapesTests {
    /// Makes `index` (built as `built`, a lie) show the SQL `shown`, and checks the premise.
    static let rewrite = """
        import sqlite3, sys
        path, built, shown = sys.argv[1], sys.argv[2], sys.argv[3]
        c = sqlite3.connect(path)
        c.execute(built)
        c.execute('PRAGMA writable_schema = ON')
        c.execute("UPDATE sqlite_schema SET sql = ? WHERE type = 'index' AND sql = ?", (shown, built))
        c.commit()
        c.close()
        c = sqlite3.connect(path)
        assert c.execute('PRAGMA quick_check').fetchall() == [('ok',)]
        assert c.execute('PRAGMA integrity_check').fetchall() != [('ok',)]
        """

    /// Found attacking the next build: grants is an ordinary rowid table, but its grant_id is not
    /// the rowid, so it is read `ORDER BY` the id as ids compare; an expression index on exactly
    /// that term answered the read in its own order, and one that lies put 'b' before 'a': the
    /// duplicate-grant of the later id vanished.
    @Test("An expression index on a contract table (here on the grants read's sort term) that disagrees with its table is exit 2")
    func expressionIndexOnSortTerm() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("order.db").path
        let schema = BundledSchema.sql.replacingOccurrences(of: "grant_id     INTEGER PRIMARY KEY,", with: "grant_id,")
        #expect(schema != BundledSchema.sql)
        do {
            let writer = try Connection(creatingNewFileAt: path)
            try writer.executeScript(
                schema + RuleExample.baseFixture + """
                    INSERT INTO grants VALUES ('b', 'u-prov', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL);
                    INSERT INTO grants VALUES ('a', 'u-prov', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL);
                    """)
        }
        let term =
            "(CASE WHEN typeof(grant_id) IN ('text', 'blob') THEN CASE WHEN CAST(CAST(grant_id AS INTEGER) AS TEXT) = CAST(grant_id AS TEXT) "
            + "COLLATE BINARY THEN CAST(grant_id AS INTEGER) WHEN CAST(grant_id AS TEXT) COLLATE BINARY = 'Inf' THEN 9e999 WHEN "
            + "CAST(grant_id AS TEXT) COLLATE BINARY = '-Inf' THEN -9e999 WHEN CAST(CAST(grant_id AS REAL) AS TEXT) = CAST(grant_id AS TEXT) "
            + "COLLATE BINARY THEN CAST(grant_id AS REAL) ELSE CAST(grant_id AS TEXT) END ELSE grant_id END) COLLATE BINARY"
        let lie = term.replacingOccurrences(of: "(CASE WHEN typeof", with: "(CASE WHEN grant_id = 'b' THEN '' WHEN typeof")
        let sound = try CLI.run(["audit", path, "--now", "2026-06-01", "--quiet", "--format", "json", "--fail-on", "low"])
        #expect(sound.stdout.contains("duplicate-grant:grant:%Tb"), "\(sound.stdout.suffix(400))")
        try ExpressionIndexTests.python(Self.rewrite, [path, "CREATE INDEX gx ON grants(\(lie))", "CREATE INDEX gx ON grants(\(term))"])
        let bad = try CLI.run(["audit", path, "--now", "2026-06-01", "--quiet", "--fail-on", "low"])
        #expect(bad.status == 2, "\(bad.stdout.suffix(400))")
        #expect(bad.stderr.contains("integrity_check"), "\(bad.stderr)")
    }

    /// Found attacking the next build: a `--map` of TEMP TABLEs (allowed) filled from the source by
    /// SQL that a lying expression index answered: the contract tables were ordinary rowid tables,
    /// so no integrity_check, and the national grant was dropped: PASS.
    @Test("--map of TEMP TABLEs filled from a source whose index disagrees with its table is exit 2")
    func mappedTempTables() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("source.db").path
        do {
            let writer = try Connection(creatingNewFileAt: path)
            try writer.executeScript(BundledSchema.sql + RuleExample.baseFixture + Self.live("revoked + 0 = 0") + "DROP VIEW grants;")
        }
        let map = directory.appendingPathComponent("map.sql")
        try (["access_levels", "policy", "organisations", "org_remit", "accounts"].map { "CREATE TEMP TABLE \($0) AS SELECT * FROM \($0);" }
            + ["CREATE TEMP TABLE grants AS SELECT \(Self.grantColumns) FROM grants_all WHERE revoked + 0 = 0;"]).joined(separator: "\n")
            .write(to: map, atomically: true, encoding: .utf8)
        let command = ["audit", path, "--map", map.path, "--now", "2026-06-01", "--quiet", "--format", "json"]
        let sound = try CLI.run(command)
        #expect(sound.status == 1 && sound.stdout.contains("level-exceeds-policy:grant:2"), "\(sound.stderr)")
        try ExpressionIndexTests.python(Self.rewrite, [path, "CREATE INDEX live ON grants_all(revoked + (grant_id = 2))", "CREATE INDEX live ON grants_all(revoked + 0)"])
        let bad = try CLI.run(command)
        #expect(bad.status == 2, "\(bad.stdout.prefix(300))")
        #expect(bad.stderr.contains("integrity_check"), "\(bad.stderr)")
    }
}
