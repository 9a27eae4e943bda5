@testable import AccessAuditKit
import Foundation
import Testing

struct SchemaTests {
    static let full = ContractSchema.unconstrainedSQL

    func check(_ sql: String) throws -> ContractSchema.Presence {
        let connection = try Connection()
        try connection.executeScript(sql)
        return try ContractSchema.check(connection)
    }

    func missing(_ sql: String) -> [String]? {
        do {
            _ = try check(sql)
            return nil
        } catch AuditError.missingSchema(let missing) {
            return missing
        } catch {
            return ["unexpected: \(error)"]
        }
    }

    @Test func fullSchemaPasses() throws {
        #expect(try check(SchemaTests.full) == .init(grantEvents: true, accountEvents: true))
        #expect(try check(BundledSchema.sql) == .init(grantEvents: true, accountEvents: true))
    }

    /// Found attacking the build: `pragma_table_info` leaves generated columns out, so a grants
    /// table whose `level` is generated was "missing column grants.level" (exit 2).
    @Test("A generated column is a column: the schema check finds it and the audit reads it")
    func generatedColumns() throws {
        let connection = try Connection()
        try connection.executeScript(
            BundledSchema.sql.replacingOccurrences(of: "CREATE TABLE releases (", with: "CREATE TABLE unused_releases (")
                + RuleExample.baseFixture + """
                DROP TABLE grants;
                CREATE TABLE grants(grant_id INTEGER PRIMARY KEY, account_id TEXT, lvl TEXT,
                  level TEXT GENERATED ALWAYS AS (lvl) VIRTUAL, scope_org_id TEXT, granted_at TEXT, granted_by TEXT,
                  approved_by TEXT, expires_at TEXT AS (NULL) STORED);
                INSERT INTO grants(grant_id, account_id, lvl, granted_at, granted_by, approved_by)
                  VALUES (1, 'u-ca', 'national', '2026-05-01', 'admin.one', 'approver.two');
                CREATE TABLE releases(release_id TEXT, title TEXT, lvl TEXT, level AS (lvl), generated_at TEXT, published_at TEXT);
                """)
        #expect(try ContractSchema.check(connection) == .init(grantEvents: true, accountEvents: true))
        #expect(try Releases.read(connection, levels: DatabaseAudit.loadReference(connection).levels) != nil)
        let report = try DatabaseAudit.run(connection, database: "generated", options: AuditOptions(now: RuleExample.now))
        #expect(report.findings.map(\.key).contains("level-exceeds-policy:grant:1"))
    }

    @Test func missingTableIsNamed() {
        let sql = SchemaTests.full.replacingOccurrences(of: "CREATE TABLE org_remit(org_id, covers_org_id);", with: "")
        #expect(missing(sql) == ["table org_remit"])
    }

    @Test func everyMissingThingIsNamed() {
        let sql = """
            CREATE TABLE access_levels(level, rank, description);
            CREATE TABLE policy(org_type, default_level, max_level);
            CREATE TABLE organisations(org_id, name, org_type, parent_org_id);
            CREATE TABLE accounts(account_id, username, display_name, org_id, created_at, last_login_at);
            CREATE TABLE grants(grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at);
            """
        #expect(missing(sql) == ["column policy.requires_approval", "table org_remit", "column accounts.status"])
    }

    @Test("History tables may be absent as a whole, but not in part")
    func historyTables() throws {
        let core = ContractSchema.tables.filter { !$0.optional }
            .map { "CREATE TABLE \($0.name)(\($0.columns.joined(separator: ",")));" }.joined()
        #expect(try check(core) == .init(grantEvents: false, accountEvents: false))
        #expect(
            missing(core + "CREATE TABLE grant_events(event_id, occurred_at, action, grant_id, account_id);")
                == [
                    "column grant_events.level", "column grant_events.scope_org_id", "column grant_events.actor",
                    "column grant_events.approved_by", "column grant_events.expires_at", "column grant_events.note",
                ])
    }

    @Test("Names match ignoring ASCII case; views stand in for tables; extra columns are ignored")
    func namesAndViews() throws {
        let sql = """
            CREATE TABLE ACCESS_LEVELS(Level, RANK, Description, extra);
            CREATE TABLE policy(org_type, default_level, max_level, requires_approval);
            CREATE TABLE orgs_source(id, title, kind, parent);
            CREATE VIEW organisations AS SELECT id AS org_id, title AS name, kind AS org_type, parent AS parent_org_id FROM orgs_source;
            CREATE TABLE Org_Remit(org_id, covers_org_id);
            CREATE TABLE accounts(account_id, username, display_name, org_id, status, created_at, last_login_at);
            CREATE TABLE grants(grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at);
            CREATE TABLE unrelated(x);
            """
        #expect(try check(sql) == .init(grantEvents: false, accountEvents: false))
    }

    @Test("The bundled schema is the repository's schema.sql, byte for byte")
    func bundledSchemaMatchesFile() throws {
        let file = try String(contentsOf: Fixture.root.appendingPathComponent("schema.sql"), encoding: .utf8)
        #expect(BundledSchema.sql == file)
    }

    @Test("The national sample creates schema.sql's tables, indexes and comments exactly (releases included)")
    func sampleSchemaMatchesFile() throws {
        func definitions(_ sql: String) throws -> [String] {
            let connection = try Connection()
            try connection.executeScript(sql)
            var rows: [String] = []
            try connection.prepare("SELECT type || ' ' || name || ' ' || sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
                .forEachRow { rows.append($0.text(0) ?? "") }
            return rows
        }
        let sample = try String(contentsOf: Fixture.root.appendingPathComponent("samples/national-statistics.sql"), encoding: .utf8)
        let expected = try definitions(BundledSchema.sql)
        #expect(expected.contains { $0.hasPrefix("table releases ") })
        #expect(try definitions(sample) == expected)
    }

    @Test("schema.sql creates exactly the contract's columns, in order")
    func schemaFileColumns() throws {
        let connection = try Connection()
        try connection.executeScript(BundledSchema.sql)
        for table in ContractSchema.tables {
            var columns: [String] = []
            let statement = try connection.prepare("SELECT name FROM pragma_table_info('\(table.name)')")
            try statement.forEachRow { columns.append($0.text(0) ?? "") }
            #expect(columns == table.columns, "\(table.name)")
        }
    }
}
