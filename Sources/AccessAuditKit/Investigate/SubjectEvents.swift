/// The part of the history that decides one subject's state, read without the rest.
///
/// A grant's state depends only on the events naming its grant_id (an event of another account can
/// collide with it: a `revoke` takes it away whoever it names) and on its holder's account events.
/// So for an account: every event of every grant_id it ever held, and its own account events; for
/// a grant: its events, and the account events of every account it was ever granted to. SQLite
/// filters and sorts that small part in the contract's order (§4), as `EventReader` does for all.
/// Ids are compared as every engine compares them (`IDMatch`: text, byte for byte), and every read
/// is of the table itself (`IDMatch.unindexed`: no expression or partial index answers a filter);
/// no SQL is built from values.
enum SubjectEvents {
    /// The subject's accounts, as a condition on `account_id` over parameters ?1 (account) and
    /// ?2 (grant: `IDMatch.grant`).
    private static func accountCondition(_ connection: Connection, _ subject: InvestigationSubject, logs: EventReader.Logs) throws -> String {
        switch subject {
        case .account: return IDMatch.text("account_id", "?1")
        case .grant:
            guard logs.grantEvents else { return "0" }
            return "CAST(account_id AS TEXT) COLLATE BINARY IN (SELECT CAST(account_id AS TEXT) FROM "
                + (try IDMatch.unindexed(connection, "grant_events")) + " WHERE " + grantCondition + ")"
        }
    }

    /// The subject grant, over parameter ?2.
    private static let grantCondition = IDMatch.grant("grant_id", text: 2)

    private static func bind(_ subject: InvestigationSubject, _ statement: Statement, logs: EventReader.Logs) throws {
        switch subject {
        case .account(let id): try statement.bind(id, at: 1)
        case .grant(let grant):
            guard logs.grantEvents else { return }
            try IDMatch.bind(grant, statement, text: 2)
        }
    }

    /// The `accounts` rows of the subject's accounts, in table order.
    static func accountRows(_ connection: Connection, subject: InvestigationSubject, logs: EventReader.Logs) throws -> [AccountRow] {
        let statement = try connection.prepare(
            "SELECT \(DatabaseAudit.accountColumns) FROM "
                + (try IDMatch.unindexed(connection, "accounts")) + " WHERE " + (try accountCondition(connection, subject, logs: logs))
                + (try TableOrder.orderBy(connection, "accounts", columns: 7)))
        try bind(subject, statement, logs: logs)
        var rows: [AccountRow] = []
        try statement.forEachRow { rows.append(DatabaseAudit.accountRow($0)) }
        return rows
    }

    /// Streams the subject's events in the contract's order, as full `HistoryEvent`s.
    static func forEach(
        _ connection: Connection, subject: InvestigationSubject, logs: EventReader.Logs, _ body: (HistoryEvent) throws -> Bool
    ) throws {
        guard logs.any else { return }
        let accounts = try accountCondition(connection, subject, logs: logs)
        let grants: String
        switch subject {
        case .account:
            // NULL grant ids all collide with one another, so they come whoever they name.
            let key = IDMatch.grantKey("grant_id")
            grants = "(\(key)) IN (SELECT \(key) FROM \(try IDMatch.unindexed(connection, "grant_events")) WHERE \(accounts)) "
                + "OR grant_id IS NULL"
        case .grant:
            grants = grantCondition
        }
        // The filtered reads read each log itself (`IDMatch.unindexed`).
        let statement = try connection.prepare(
            try EventReader.sortedQuery(connection, logs: logs, accountFilter: accounts, grantFilter: grants))
        try bind(subject, statement, logs: logs)
        while let row = try statement.step() {
            guard try body(HistoryEvent(row: row)) else { break }
        }
    }
}
