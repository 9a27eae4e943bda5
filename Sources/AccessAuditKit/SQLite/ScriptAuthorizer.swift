internal import CAccessAuditSQLite

/// What a `.sql` input or a `--map` file may do, decided statement by statement while it loads
/// (`sqlite3_set_authorizer`): what a dump needs, inside the private in-memory database, and
/// nothing else.
///
/// Allowed: creating, filling, changing and dropping tables, indexes, views and triggers in
/// `main`, and for a map also in `temp` (both in memory; a map's `CREATE TEMP VIEW`s and any temp
/// tables or triggers it makes live and die there). A `.sql` input may not make temp objects: they
/// would shadow its own tables for the audit (an unqualified `grants` is `temp.grants` first),
/// while the database the dump builds, `sqlite3 DB < dump`, keeps only `main`; reading anything (the map's `src`, attached read-only by the
/// tool before the script runs), transactions and savepoints, built-in functions, recursive
/// queries, `ANALYZE`/`REINDEX`, and the pragmas a dump carries (`foreign_keys`,
/// `defer_foreign_keys`, `user_version`, `application_id`).
///
/// Refused, naming the line: `ATTACH` (which creates files) and `VACUUM`/`VACUUM INTO` (SQLite
/// reports them as an attach), `DETACH`, any write to a schema other than `main`/`temp` (the
/// source: already `mode=ro`), virtual tables, `load_extension()` (also switched off on every
/// connection), every other pragma (`writable_schema`, `journal_mode`, …), and any action this
/// list does not name.
final class ScriptAuthorizer {
    /// Why the last refused action was refused.
    private(set) var refusal: String?

    private static let temporary = "a temporary table, view, index or trigger (in a .sql input it would shadow the dump's own tables)"

    /// The schemas the script may change: `main`, and `temp` for a map.
    private let writable: Set<String>

    init(temporaryObjects: Bool) {
        writable = temporaryObjects ? ["main", "temp"] : ["main"]
    }
    private static let pragmas: Set<String> = ["foreign_keys", "defer_foreign_keys", "user_version", "application_id"]

    func allow(_ action: Int32, _ first: String?, _ second: String?, _ database: String?) -> Bool {
        if let why = refusal(of: action, first, second, database) {
            refusal = "refused: \(why) (a .sql input or a map may only create and fill the private in-memory database)"
            return false
        }
        return true
    }

    /// Why `action` is refused, or nil when it is allowed.
    func refusal(of action: Int32, _ first: String?, _ second: String?, _ database: String?) -> String? {
        switch action {
        case SQLITE_CREATE_TEMP_INDEX, SQLITE_CREATE_TEMP_TABLE, SQLITE_CREATE_TEMP_TRIGGER, SQLITE_CREATE_TEMP_VIEW:
            return writable.contains("temp") ? nil : ScriptAuthorizer.temporary

        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_INDEX, SQLITE_CREATE_TEMP_TABLE,
            SQLITE_CREATE_TEMP_TRIGGER, SQLITE_CREATE_TEMP_VIEW, SQLITE_CREATE_TRIGGER, SQLITE_CREATE_VIEW,
            SQLITE_DELETE, SQLITE_DROP_INDEX, SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_INDEX, SQLITE_DROP_TEMP_TABLE,
            SQLITE_DROP_TEMP_TRIGGER, SQLITE_DROP_TEMP_VIEW, SQLITE_DROP_TRIGGER, SQLITE_DROP_VIEW, SQLITE_INSERT,
            SQLITE_UPDATE, SQLITE_REINDEX, SQLITE_ANALYZE:
            guard let database, writable.contains(database.lowercased()) else {
                return database?.lowercased() == "temp" ? ScriptAuthorizer.temporary : "a change to schema '\(database ?? "?")'"
            }
            return nil
        case SQLITE_ALTER_TABLE:
            // Its database name comes first.
            guard let first, writable.contains(first.lowercased()) else { return "ALTER TABLE in schema '\(first ?? "?")'" }
            return nil
        case SQLITE_READ, SQLITE_SELECT, SQLITE_RECURSIVE, SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            return nil
        case SQLITE_FUNCTION:
            return second?.lowercased() == "load_extension" ? "load_extension()" : nil
        case SQLITE_PRAGMA:
            guard let first, ScriptAuthorizer.pragmas.contains(first.lowercased()), database.map({ writable.contains($0.lowercased()) }) ?? true
            else { return "PRAGMA \(first ?? "")" }
            return nil
        case SQLITE_ATTACH:
            return first?.isEmpty ?? true ? "VACUUM" : "ATTACH or VACUUM INTO"
        case SQLITE_DETACH:
            return "DETACH"
        case SQLITE_CREATE_VTABLE, SQLITE_DROP_VTABLE:
            return "a virtual table"
        default:
            return "SQLite action \(action)"
        }
    }
}
