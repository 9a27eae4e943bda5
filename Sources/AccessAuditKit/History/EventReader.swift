internal import CAccessAuditSQLite

/// Reads both history logs merged in the contract's order (§4): by `occurred_at` as a time, then
/// account events before grant events, then by `event_id`.
///
/// Text order is not time order (`10:00+01:00` is before `09:30Z`), so the order comes from a SQL
/// function, `access_audit_instant(text)`, that parses exactly as `Timestamp` does and returns a
/// key whose byte order is time order (NULL for an invalid value, which sorts first). SQLite's
/// sorter does the merge, so memory does not grow with the number of events.
public enum EventReader {
    /// Which logs exist and have rows.
    public struct Logs: Sendable, Equatable {
        public var grantEvents: Bool
        public var accountEvents: Bool
        public var any: Bool { grantEvents || accountEvents }
    }

    /// Which logs are present (per the schema check) and non-empty.
    public static func logs(_ connection: Connection, presence: ContractSchema.Presence) throws -> Logs {
        func hasRows(_ table: String) throws -> Bool {
            var found = false
            try connection.prepare("SELECT 1 FROM \(table) LIMIT 1").forEachRow { _ in found = true }
            return found
        }
        return Logs(
            grantEvents: try presence.grantEvents && hasRows("grant_events"),
            accountEvents: try presence.accountEvents && hasRows("account_events"))
    }

    /// Streams every event of the present logs in order. `body` returns false to stop early.
    public static func forEachEvent(
        _ connection: Connection, logs: Logs, account: String? = nil, _ body: (HistoryEvent) throws -> Bool
    ) throws {
        guard logs.any else { return }
        try registerInstantFunction(connection)
        var parts: [String] = []
        let filter = account == nil ? "" : " WHERE account_id = ?1"
        if logs.accountEvents {
            parts.append(
                "SELECT 0 AS log, event_id, occurred_at, action, NULL, account_id, NULL, NULL, org_id, status, actor, "
                    + "NULL, NULL, note, access_audit_instant(occurred_at) AS instant FROM account_events" + filter)
        }
        if logs.grantEvents {
            parts.append(
                "SELECT 1 AS log, event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, NULL, NULL, "
                    + "actor, approved_by, expires_at, note, access_audit_instant(occurred_at) AS instant FROM grant_events"
                    + filter)
        }
        let statement = try connection.prepare(parts.joined(separator: " UNION ALL ") + " ORDER BY instant, log, 2")
        if let account { try statement.bind(account, at: 1) }
        var stop = false
        try statement.forEachRow { row in
            guard !stop else { return }
            let event = HistoryEvent(
                log: row.int64(0) == 0 ? .accountEvents : .grantEvents, eventID: DatabaseAudit.grantID(row, 1),
                occurredAt: row.text(2), action: row.text(3),
                grantID: row.int64(0) == 1 ? DatabaseAudit.grantID(row, 4) : nil, accountID: row.text(5),
                level: row.text(6), scopeOrgID: row.text(7), orgID: row.text(8), status: row.text(9), actor: row.text(10),
                approvedBy: row.text(11), expiresAt: row.text(12), note: row.text(13))
            stop = try !body(event)
        }
    }

    /// The sort key of an instant: seconds shifted positive and zero-padded, then the fraction.
    public static func sortKey(_ timestamp: Timestamp) -> String {
        let shifted = String(timestamp.seconds + 100_000_000_000)
        let padded = String(repeating: "0", count: max(0, 13 - shifted.count)) + shifted
        return timestamp.fraction.isEmpty ? padded : padded + "." + timestamp.fraction
    }

    static func registerInstantFunction(_ connection: Connection) throws {
        let rc = sqlite3_create_function_v2(
            connection.handle, "access_audit_instant", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil,
            { context, count, values in
                guard count == 1, let value = values?[0], sqlite3_value_type(value) != SQLITE_NULL,
                    let text = sqlite3_value_text(value)
                else {
                    sqlite3_result_null(context)
                    return
                }
                let length = Int(sqlite3_value_bytes(value))
                guard let instant = Timestamp.parse(UnsafeBufferPointer(start: text, count: length)) else {
                    sqlite3_result_null(context)
                    return
                }
                sqlite3_result_text(
                    context, EventReader.sortKey(instant), -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }, nil, nil, nil)
        guard rc == SQLITE_OK else {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc)))
        }
    }
}
