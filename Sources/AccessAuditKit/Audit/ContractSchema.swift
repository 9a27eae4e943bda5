/// The tables and columns CONTRACT.md §1 requires, and the check that a database has them.
package enum ContractSchema {
    /// A required table and its columns.
    package struct Table: Sendable {
        package let name: String
        package let columns: [String]
        /// History tables may be absent as a whole.
        package let optional: Bool
    }

    package static let tables: [Table] = [
        Table(name: "access_levels", columns: ["level", "rank", "description"], optional: false),
        Table(name: "policy", columns: ["org_type", "default_level", "max_level", "requires_approval"], optional: false),
        Table(name: "organisations", columns: ["org_id", "name", "org_type", "parent_org_id"], optional: false),
        Table(name: "org_remit", columns: ["org_id", "covers_org_id"], optional: false),
        Table(
            name: "accounts",
            columns: ["account_id", "username", "display_name", "org_id", "status", "created_at", "last_login_at"],
            optional: false),
        Table(
            name: "grants",
            columns: ["grant_id", "account_id", "level", "scope_org_id", "granted_at", "granted_by", "approved_by", "expires_at"],
            optional: false),
        Table(
            name: "grant_events",
            columns: [
                "event_id", "occurred_at", "action", "grant_id", "account_id", "level", "scope_org_id", "actor",
                "approved_by", "expires_at", "note",
            ],
            optional: true),
        Table(
            name: "account_events",
            columns: ["event_id", "occurred_at", "action", "account_id", "org_id", "status", "actor", "note"],
            optional: true),
    ]

    /// What the check found: which history tables are present.
    package struct Presence: Sendable, Equatable {
        package var grantEvents: Bool
        package var accountEvents: Bool
    }

    /// The columns of table ?1 as a query reads them: generated columns included (SQLite reads
    /// them like any other; `table_info` leaves them out), a virtual table's hidden ones not.
    static let columnsSQL = "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden <> 1"

    /// Verifies every required table and column (names matched as SQLite matches them: ASCII case
    /// ignored; a view may stand in for a table) and throws one error naming everything missing.
    package static func check(_ connection: Connection) throws -> Presence {
        var missing: [String] = []
        var present: Set<String> = []
        let statement = try connection.prepare(columnsSQL)
        for table in tables {
            try statement.bind(table.name, at: 1)
            var columns: Set<String> = []
            try statement.forEachRow { row in
                if let name = row.text(0) { columns.insert(asciiLowercased(name)) }
            }
            if columns.isEmpty {
                if !table.optional { missing.append("table \(table.name)") }
                continue
            }
            present.insert(table.name)
            for column in table.columns where !columns.contains(column) {
                missing.append("column \(table.name).\(column)")
            }
        }
        guard missing.isEmpty else { throw AuditError.missingSchema(missing) }
        return Presence(grantEvents: present.contains("grant_events"), accountEvents: present.contains("account_events"))
    }

    /// The contract's tables with no types and no constraints: what "assume no constraint holds"
    /// looks like. Tests build hostile fixtures on it.
    package static var unconstrainedSQL: String {
        tables.map { "CREATE TABLE \($0.name)(\($0.columns.joined(separator: ", ")));" }.joined(separator: "\n")
    }

    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map(Blank.asciiLower), as: UTF8.self)
    }
}
