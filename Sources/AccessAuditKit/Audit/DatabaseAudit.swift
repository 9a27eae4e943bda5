/// Reads a contract database into an `AuditEngine`: schema check, reference tables, accounts,
/// then grants streamed row by row, all inside one read transaction (one consistent snapshot
/// even while another process writes).
public enum DatabaseAudit {
    /// Audits the current state of the database behind `connection`: the fast engine, or the
    /// reference path for what the fast engine does not handle (non-integer grant ids).
    public static func run(_ connection: Connection, database: String, options: AuditOptions) throws -> AuditReport {
        do {
            return try readTransaction(connection, database: database, tuning: options.tuning) {
                try FastAudit.run(connection, database: database, options: options)
            }
        } catch is FastAudit.Unsupported {
            return try runReference(connection, database: database, options: options)
        }
    }

    /// The deliberately simple reference path: every row as Strings through `AuditEngine`.
    /// Tests hold the fast engine to its findings.
    package static func runReference(_ connection: Connection, database: String, options: AuditOptions) throws -> AuditReport {
        try readTransaction(connection, database: database) {
            let presence = try ContractSchema.check(connection)
            let logs = try EventReader.logs(connection, presence: presence)
            let engine = AuditEngine(reference: try loadReference(connection), options: options)
            try forEachAccount(connection) { engine.add(account: $0) }
            let replay = try replayAll(connection, logs: logs, engine: engine)
            var comparison = logs.grantEvents ? replay.map { HistoryComparison(replayed: $0.grants) } : nil
            try forEachGrant(connection) { grant in
                engine.add(grant: grant)
                if let finding = comparison?.compare(grant, account: engine.account(grant.accountID)) {
                    engine.record(finding)
                }
            }
            for finding in comparison?.leftovers(account: engine.account) ?? [] { engine.record(finding) }
            var report = AuditReport(
                command: "audit", database: database, now: options.now, accounts: engine.accountRows,
                grants: engine.grantRows, findings: engine.finish(), notChecked: historyNotChecked(presence: presence, logs: logs))
            report.history = logs
            return report
        }
    }

    /// Replays every event once (the invalid ones become findings), or nil without history.
    static func replayAll(_ connection: Connection, logs: EventReader.Logs, engine: AuditEngine) throws -> Replay? {
        guard logs.any else { return nil }
        let replay = Replay()
        try EventReader.forEachEvent(connection, logs: logs) { event in
            if let reason = replay.apply(event) {
                engine.record(RuleRegistry.invalidEvent.finding(for: event, reason: reason))
            }
            return true
        }
        return replay
    }

    /// The history rules `audit` could not run on this database (CONTRACT.md §3 and §5).
    static func historyNotChecked(presence: ContractSchema.Presence, logs: EventReader.Logs) -> [(rule: String, why: String)] {
        if !presence.grantEvents && !presence.accountEvents {
            return [("history-mismatch", "no history tables"), ("invalid-event", "no history tables")]
        }
        if !logs.grantEvents {
            return [("history-mismatch", "grant_events has no rows")]
        }
        return []
    }

    /// Runs `body` in one read transaction (one snapshot), mapping SQLite failures to
    /// `AuditError`: takes the snapshot, checks the file's structure inside it (before `body`, or
    /// beside it on a second connection that reads the same snapshot), and fingerprints the file
    /// through SQLite's handle while `body` reads (`ReadChecks`). Nothing is returned unless the
    /// check passed, and the transaction ends only once the fingerprint is taken, so the hash is
    /// of the snapshot that was audited (rollback journal; see docs/CONTRACT-NOTES.md for WAL).
    package static func readTransaction<T>(
        _ connection: Connection, database: String, tuning: AuditOptions.Tuning = .init(), _ body: () throws -> T
    ) throws -> T {
        do {
            try connection.execute("BEGIN DEFERRED")
            defer { try? connection.execute("COMMIT") }
            try takeSnapshot(connection)
            try checkEncoding(connection, database: database)
            let integrity = try startIntegrityCheck(connection, database: database, tuning: tuning)
            let fingerprint = startFingerprint(connection)
            let result = Result { try body() }
            // Both threads are joined whatever happened; a failed structure check wins over the
            // work's own outcome (a corrupt file gets no verdict, and the reason is the check's).
            let checked = Result { try integrity?.join() }
            let hashed = Result { try fingerprint?.0.join() }
            try checked.get()
            let value = try result.get()
            try hashed.get()
            connection.fingerprints = (fingerprint?.1.file.map { [$0] } ?? []) + connection.loadedFiles
            return value
        } catch let error as SQLiteError {
            throw AuditSource.describe(error, path: database)
        }
    }

    /// Levels, policies, organisations and remits.
    package static func loadReference(_ connection: Connection) throws -> ReferenceData {
        var levels = LevelTable()
        try connection.prepare(
            "SELECT level, rank FROM access_levels" + TableOrder.orderBy(connection, "access_levels", columns: 2)
        ).forEachRow { row in
            if row.storageClass(1) == .integer, let level = row.text(0) { levels.add(level, rank: row.int64(1)) }
        }
        var policyRows: [PolicyRow] = []
        try connection.prepare(
            "SELECT org_type, default_level, max_level, requires_approval FROM policy"
                + TableOrder.orderBy(connection, "policy", columns: 4)
        ).forEachRow { row in
            let waived = row.storageClass(3) == .integer && row.int64(3) == 0
            policyRows.append(
                PolicyRow(orgType: row.text(0), defaultLevel: row.text(1), maxLevel: row.text(2), approvalWaived: waived))
        }
        var organisations: [Organisation] = []
        try connection.prepare(
            "SELECT org_id, name, org_type FROM organisations" + TableOrder.orderBy(connection, "organisations", columns: 3)
        ).forEachRow { row in
            // An organisation with a NULL id can be referenced by nothing.
            if let id = row.text(0) { organisations.append(Organisation(orgID: id, name: row.text(1), orgType: row.text(2))) }
        }
        var remit: [(String, String)] = []
        try connection.prepare("SELECT org_id, covers_org_id FROM org_remit").forEachRow { row in
            if let org = row.text(0), let covered = row.text(1) { remit.append((org, covered)) }
        }
        return ReferenceData(levels: levels, policyRows: policyRows, organisations: organisations, remit: remit)
    }

    /// The `accounts` columns the reference path reads, in `accountRow`'s order.
    static let accountColumns = "account_id, username, display_name, org_id, status, created_at, last_login_at"

    /// A row of `accountColumns` as Strings.
    static func accountRow(_ row: Row) -> AccountRow {
        AccountRow(
            accountID: row.text(0), username: row.text(1), displayName: row.text(2), orgID: row.text(3),
            status: row.text(4), createdAt: row.text(5), lastLoginAt: row.text(6))
    }

    static func forEachAccount(_ connection: Connection, _ body: (AccountRow) -> Void) throws {
        let sql = "SELECT \(accountColumns) FROM accounts" + (try TableOrder.orderBy(connection, "accounts", columns: 7))
        try connection.prepare(sql).forEachRow { body(accountRow($0)) }
    }

    /// Grants in ascending grant_id order (free for an INTEGER PRIMARY KEY: it is the rowid), rows
    /// with one grant_id in table order (`TableOrder`).
    static func forEachGrant(_ connection: Connection, _ body: (GrantRow) -> Void) throws {
        let sql = "SELECT grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at FROM grants"
            + (try TableOrder.orderBy(connection, "grants", keys: [try TableOrder.idTerm(connection, "grants", "grant_id")], columns: 8))
        try connection.prepare(sql).forEachRow { row in
            body(
                GrantRow(
                    grantID: grantID(row, 0), accountID: row.text(1), level: row.text(2), scopeOrgID: row.text(3),
                    grantedAt: row.text(4), grantedBy: row.text(5), approvedBy: row.text(6), expiresAt: row.text(7)))
        }
    }

    /// A grant_id (or event_id) column read with its storage class. Ids compare as text
    /// (CONTRACT.md §2: `CAST(x AS TEXT)`), so a text or blob whose text is exactly what an
    /// integer's `CAST` gives (`1`, `-7`; not `01`, `+1` or `1.0`) is that integer: a log that
    /// names grant `'1'` names grant `1`; and a REAL is its text (`1.0`), as is a text or blob
    /// holding exactly that text: a log that names grant `'1.0'` names the REAL grant `1.0`. One
    /// representation per text keeps `GrantID`'s comparisons, hashing and keys true to the contract.
    static func grantID(_ row: some RowValues, _ column: Int32) -> GrantID {
        switch row.storageClass(column) {
        case .null: return .null
        case .integer: return .integer(row.int64(column))
        case .real:
            // Read the number before the text: sqlite3_column_text converts the value in place.
            let value = row.double(column)
            return GrantID.fromReal(value, text: row.text(column) ?? "")
        case .text, .blob: return GrantID(text: row.text(column) ?? "")
        }
    }
}
