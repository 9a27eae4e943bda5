internal import CAccessAuditSQLite

/// Reads both history logs merged in the contract's order (§4): by `occurred_at` as a time, then
/// account events before grant events, then by `event_id`.
///
/// Text order is not time order (`10:00+01:00` is before `09:30Z`), so the order comes from a SQL
/// function, `access_audit_instant(text)`, that parses exactly as `Timestamp` does and returns a
/// key whose byte order is time order (NULL for an invalid value, which sorts first). SQLite's
/// sorter does the merge, so memory does not grow with the number of events.
package enum EventReader {
    /// Which logs exist and have rows.
    package struct Logs: Sendable, Equatable {
        package var grantEvents: Bool
        package var accountEvents: Bool
        package var any: Bool { grantEvents || accountEvents }
    }

    /// Which logs are present (per the schema check) and non-empty.
    package static func logs(_ connection: Connection, presence: ContractSchema.Presence) throws -> Logs {
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
    package static func forEachEvent(
        _ connection: Connection, logs: Logs, _ body: (HistoryEvent) throws -> Bool
    ) throws {
        try forEachRow(connection, logs: logs) { try body(HistoryEvent(row: $0)) }
    }

    /// `forEachEvent` through the cheap ordered path when it holds (see `forEachRow(_:logs:reset:_:)`);
    /// `reset` must throw away every effect of the events seen so far.
    package static func forEachEvent(
        _ connection: Connection, logs: Logs, reset: () throws -> Void, _ body: (HistoryEvent) throws -> Bool
    ) throws {
        try forEachRow(connection, logs: logs, reset: reset) { try body(HistoryEvent(row: $0)) }
    }

    /// The columns of an event row: `log` is 0 for account_events, 1 for grant_events; fields a
    /// log does not have are NULL.
    enum Column {
        static let count = 14

        /// A bit per column, for `RowBatch.append(_:instant:nulls:)`.
        static func bits(_ columns: [Int32]) -> UInt64 {
            columns.reduce(0) { $0 | 1 << UInt64($1) }
        }

        static let log: Int32 = 0, eventID: Int32 = 1, occurredAt: Int32 = 2, action: Int32 = 3, grantID: Int32 = 4
        static let accountID: Int32 = 5, level: Int32 = 6, scopeOrgID: Int32 = 7, orgID: Int32 = 8, status: Int32 = 9
        static let actor: Int32 = 10, approvedBy: Int32 = 11, expiresAt: Int32 = 12, note: Int32 = 13

        /// The columns `idOrderQuery` fills with NULL for each log (not asked of SQLite).
        static let accountNulls = bits([grantID, level, scopeOrgID, approvedBy, expiresAt])
        static let grantNulls = bits([orgID, status])
    }

    /// Streams event rows in the contract's order without making Strings.
    ///
    /// First tries the cheap way: each log read in `event_id` order (a sequential scan of an
    /// append-only log) and the two merged here, checking as it goes that this is time order, as it
    /// is when events are numbered as they happen. If it is not, `reset` is called and the exact,
    /// sorted way runs instead. Rows with an invalid `occurred_at` are always all delivered (they are
    /// invalid events), even after `body` asked to stop; where they come in the stream differs.
    static func forEachRow(
        _ connection: Connection, logs: Logs, reset: () throws -> Void, _ body: (Row) throws -> Bool
    ) throws {
        try forEachRow(connection, logs: logs, reset: reset) { row, _ in try body(row) }
    }

    /// As above, handing over the parsed `occurred_at` too (nil when invalid), parsed once.
    static func forEachRow(
        _ connection: Connection, logs: Logs, reset: () throws -> Void, _ body: (Row, Timestamp?) throws -> Bool
    ) throws {
        do {
            try forEachRowInIDOrder(connection, logs: logs, body)
        } catch is OutOfOrder {
            try reset()
            try forEachRow(connection, logs: logs) { row in
                try body(row, row.bytes(Column.occurredAt).flatMap(Timestamp.parse))
            }
        }
    }

    struct OutOfOrder: Error {}

    /// One log read in event_id order, with the instant and event id of its current row.
    private struct Cursor {
        let statement: Statement
        var row: Row?
        var instant: Timestamp?
        var eventID: GrantID = .null
        var previous: (Timestamp, GrantID)?
        var previousClass: StorageClass?

        init(_ statement: Statement) { self.statement = statement }

        /// Steps; a valid row out of time order throws `OutOfOrder`, and so does one equal to the
        /// last in instant and id but stored otherwise (integer 2 and text '2': SQLite put them in
        /// its order of storage classes, not in table order).
        mutating func advance() throws {
            row = try statement.step()
            guard let row else { return }
            instant = row.bytes(Column.occurredAt).flatMap(Timestamp.parse)
            guard let instant else { return }
            let storage = row.storageClass(Column.eventID)
            eventID = DatabaseAudit.grantID(row, Column.eventID)
            if let previous {
                if (instant, eventID) < previous { throw OutOfOrder() }
                if (instant, eventID) == previous, storage != previousClass { throw OutOfOrder() }
            }
            previous = (instant, eventID)
            previousClass = storage
        }
    }

    /// How `idOrderQuery` orders a log's rows.
    enum ReadOrder {
        /// By the `event_id` column, then table order (`TableOrder`): the cheap in-order merge,
        /// which checks what it reads (the column's own order is SQLite's: `'10'` before `'2'`,
        /// a collation's; a stream out of the order of ids is caught and sorted exactly).
        case eventID
        /// Table order (a plain scan, for `EventSort`, whose sort keeps it among equal keys).
        case table
        /// Any order (checking each event on its own).
        case any
    }

    /// One log's rows in the columns of `Column`, in `order`.
    static func idOrderQuery(_ connection: Connection, grantLog: Bool, order: ReadOrder = .eventID) throws -> String {
        let table = grantLog ? "grant_events" : "account_events"
        let suffix = order == .any
            ? "" : try TableOrder.orderBy(connection, table, keys: order == .eventID ? ["event_id"] : [], columns: Column.count)
        return (grantLog
            ? "SELECT 1, event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, NULL, NULL, actor, "
                + "approved_by, expires_at, note FROM grant_events"
            : "SELECT 0, event_id, occurred_at, action, NULL, account_id, NULL, NULL, org_id, status, actor, NULL, NULL, note "
                + "FROM account_events") + suffix
    }

    static func forEachRowInIDOrder(
        _ connection: Connection, logs: Logs, _ body: (Row, Timestamp?) throws -> Bool
    ) throws {
        var cursors: [Cursor] = []
        if logs.accountEvents { cursors.append(Cursor(try connection.prepare(idOrderQuery(connection, grantLog: false)))) }
        if logs.grantEvents { cursors.append(Cursor(try connection.prepare(idOrderQuery(connection, grantLog: true)))) }
        for index in cursors.indices { try cursors[index].advance() }
        var stopped = false
        while true {
            // The next row: an invalid time at once, else the earliest instant (account events first).
            var next: Int?
            for index in cursors.indices where cursors[index].row != nil {
                guard let instant = cursors[index].instant else {
                    next = index
                    break
                }
                if let chosen = next, let best = cursors[chosen].instant, best <= instant { continue }
                next = index
            }
            guard let index = next, let row = cursors[index].row else { return }
            if cursors[index].instant == nil || !stopped {
                let goOn = try body(row, cursors[index].instant)
                if !goOn, cursors[index].instant != nil { stopped = true }
            }
            try cursors[index].advance()
        }
    }

    /// Streams event rows in the exact order, sorted by SQLite on the parsed instant.
    static func forEachRow(_ connection: Connection, logs: Logs, _ body: (Row) throws -> Bool) throws {
        guard logs.any else { return }
        let statement = try connection.prepare(try sortedQuery(connection, logs: logs))
        while let row = try statement.step() {
            guard try body(row) else { break }
        }
    }

    /// Both logs' rows in the contract's order, sorted by SQLite (registers `access_audit_instant`);
    /// `accountFilter` and `grantFilter` are each log's `WHERE` condition, if any (a filtered log
    /// is read as itself: `IDMatch.unindexed`).
    static func sortedQuery(
        _ connection: Connection, logs: Logs, accountFilter: String? = nil, grantFilter: String? = nil
    ) throws -> String {
        try registerInstantFunction(connection)
        var parts: [String] = []
        if logs.accountEvents {
            parts.append(
                "SELECT 0 AS log, event_id, occurred_at, action, NULL, account_id, NULL, NULL, org_id, status, actor, "
                    + "NULL, NULL, note, access_audit_instant(occurred_at) AS instant, "
                    + (try tie(connection, "account_events")) + ", " + TableOrder.canonicalID("event_id") + " AS eid FROM "
                    + (try accountFilter.map { "\(try IDMatch.unindexed(connection, "account_events")) WHERE \($0)" } ?? "account_events"))
        }
        if logs.grantEvents {
            parts.append(
                "SELECT 1 AS log, event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, NULL, NULL, "
                    + "actor, approved_by, expires_at, note, access_audit_instant(occurred_at) AS instant, "
                    + (try tie(connection, "grant_events")) + ", " + TableOrder.canonicalID("event_id") + " AS eid FROM "
                    + (try grantFilter.map { "\(try IDMatch.unindexed(connection, "grant_events")) WHERE \($0)" } ?? "grant_events"))
        }
        return parts.joined(separator: " UNION ALL ") + " " + sortedOrder
    }

    /// The sorted reads' order (§4): the instant, the log, the event_id as ids compare (a 17th
    /// column, `eid`: `TableOrder.canonicalID`, byte for byte), then table order among events
    /// equal on all three: a 16th column (`tie`) holds each row's rowid, or NULL for a log without
    /// one, whose ties then go by every column (`TableOrder`).
    static let sortedOrder = "ORDER BY instant, log, 17 COLLATE BINARY, 16, "
        + (3...Column.count).map(String.init).joined(separator: ", ")

    /// A log's `tie` column: its rowid, or NULL.
    static func tie(_ connection: Connection, _ table: String) throws -> String {
        (try TableOrder.rowid(connection, table) ?? "NULL") + " AS tie"
    }

    /// The sort key of an instant: seconds shifted positive and zero-padded, then the fraction.
    package static func sortKey(_ timestamp: Timestamp) -> String {
        let shifted = String(timestamp.seconds + 100_000_000_000)
        let padded = String(repeating: "0", count: max(0, 13 - shifted.count)) + shifted
        return timestamp.fraction.isEmpty ? padded : padded + "." + timestamp.fraction
    }

    /// `SQLITE_DIRECTONLY`: only the tool's own statements may call it, never the file's views,
    /// triggers, CHECKs, defaults, indexes or generated columns (as `access_audit_rowsum`).
    static func registerInstantFunction(_ connection: Connection) throws {
        let rc = sqlite3_create_function_v2(
            connection.handle, "access_audit_instant", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, nil,
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
