/// The part of the history that decides one subject's state, read without the rest.
///
/// A grant's state depends only on the events naming its grant_id (an event of another account can
/// collide with it: a `revoke` takes it away whoever it names) and on its holder's account events.
/// So for an account: every event of every grant_id it ever held, and its own account events; for
/// a grant: its events, and the account events of every account it was ever granted to. SQLite
/// filters and sorts that small part in the contract's order (§4), as `EventReader` does for all.
/// Ids are compared as text (`CAST(x AS TEXT)`), as everywhere; no SQL is built from values.
enum SubjectEvents {
    /// The subject's accounts, as a condition on `account_id` over parameters ?1 (account) and ?2 (grant).
    private static func accountCondition(_ subject: InvestigationSubject, logs: EventReader.Logs) -> String {
        switch subject {
        case .account: return "CAST(account_id AS TEXT) = ?1"
        case .grant:
            guard logs.grantEvents else { return "0" }
            return "CAST(account_id AS TEXT) IN (SELECT CAST(account_id AS TEXT) FROM grant_events WHERE grant_id = ?2)"
        }
    }

    private static func bind(_ subject: InvestigationSubject, _ statement: Statement, logs: EventReader.Logs) throws {
        switch subject {
        case .account(let id): try statement.bind(id, at: 1)
        case .grant(let grant):
            guard logs.grantEvents else { return }
            switch grant {
            case .integer(let value): try statement.bind(value, at: 2)
            case .null: try statement.bind(nil as String?, at: 2)
            case .real(_, let text), .text(let text): try statement.bind(text, at: 2)
            }
        }
    }

    /// The `accounts` rows of the subject's accounts, in table order.
    static func accountRows(_ connection: Connection, subject: InvestigationSubject, logs: EventReader.Logs) throws -> [AccountRow] {
        let statement = try connection.prepare(
            "SELECT account_id, username, display_name, org_id, status, created_at, last_login_at FROM accounts WHERE "
                + accountCondition(subject, logs: logs) + (try TableOrder.orderBy(connection, "accounts", columns: 7)))
        try bind(subject, statement, logs: logs)
        var rows: [AccountRow] = []
        try statement.forEachRow { row in
            rows.append(
                AccountRow(
                    accountID: row.text(0), username: row.text(1), displayName: row.text(2), orgID: row.text(3),
                    status: row.text(4), createdAt: row.text(5), lastLoginAt: row.text(6)))
        }
        return rows
    }

    /// Streams the subject's events in the contract's order, as full `HistoryEvent`s.
    static func forEach(
        _ connection: Connection, subject: InvestigationSubject, logs: EventReader.Logs, _ body: (HistoryEvent) throws -> Bool
    ) throws {
        guard logs.any else { return }
        let accounts = accountCondition(subject, logs: logs)
        let grants: String
        switch subject {
        case .account:
            // NULL grant ids all collide with one another, so they come whoever they name.
            grants = "grant_id IN (SELECT grant_id FROM grant_events WHERE \(accounts)) OR grant_id IS NULL"
        case .grant:
            grants = "grant_id = ?2"
        }
        let statement = try connection.prepare(
            try EventReader.sortedQuery(connection, logs: logs, accountFilter: accounts, grantFilter: grants))
        try bind(subject, statement, logs: logs)
        while let row = try statement.step() {
            guard try body(HistoryEvent(row: row)) else { break }
        }
    }
}
