extension Timeline {
    /// `timeline --account spatel`: no account_id `spatel`. When exactly one account has that
    /// username, its timeline (the report names the account_id); otherwise an error that says
    /// `--account` wants an account_id and, for a username of several accounts, which ones.
    static func runByUsername(_ connection: Connection, database: String, username: String) throws -> TimelineReport {
        var matches: [String] = []
        let statement = try connection.prepare(
            "SELECT account_id FROM \(try IDMatch.unindexed(connection, "accounts")) WHERE \(IDMatch.text("username", "?1")) ORDER BY account_id LIMIT 6")
        try statement.bind(username, at: 1)
        try statement.forEachRow { row in matches.append(row.text(0) ?? "NULL") }
        if matches.count == 1, let id = matches.first, let report = try run(connection, database: database, accountID: id) {
            return report
        }
        guard matches.isEmpty else {
            let list = matches.prefix(5).joined(separator: ", ") + (matches.count > 5 ? ", …" : "")
            throw AuditError.invalidArgument(
                "\(database): --account wants an account_id; '\(username)' is the username of several accounts (\(list)): give one of their ids")
        }
        throw AuditError.invalidArgument(
            "\(database): no account '\(username)': --account wants an account_id (or a username), and none has a row or history")
    }
}
