/// One event of an account's story and the findings in force on the account right after it.
public struct TimelineEntry: Sendable {
    public var event: HistoryEvent
    /// Why the event could not be applied (it was skipped), nil when applied.
    public var invalidReason: String?
    /// The state rules, `unauditable-grant` and `inactive-account-access` on the account.
    public var findings: [Finding]
}

/// The result of `timeline --account ID`.
public struct TimelineReport: Sendable {
    public var database: String
    public var accountID: String
    /// The account as it stands after the last event (nil when it never existed).
    public var account: AccountRow?
    public var entries: [TimelineEntry]
}

/// `timeline --account ID`: the account's grant and account events in order, each with the
/// findings in force on the account right after it.
///
/// The whole log is replayed (another account's event can collide with this account's grant id),
/// but only this account's events are reported: its account events, the grant events naming it,
/// and any grant event acting on a grant it holds.
public enum Timeline {
    /// The rules a timeline shows.
    public static let rules: Set<String> = Set(Exposure.rules).union(["unauditable-grant", "inactive-account-access"])

    /// `account` is an account_id; a value that is none but the username of exactly one account
    /// is taken as that account (Timeline+Username.swift).
    public static func run(_ connection: Connection, database: String, account: String) throws -> TimelineReport {
        if let report = try run(connection, database: database, accountID: account) { return report }
        return try runByUsername(connection, database: database, username: account)
    }

    /// The timeline of `accountID`, nil when it has no row and no history.
    static func run(_ connection: Connection, database: String, accountID account: String) throws -> TimelineReport? {
        try DatabaseAudit.readTransaction(connection, database: database) {
            let (reference, logs, replay) = try HistorySource.open(connection, database: database, tracksAccounts: true)
            var entries: [TimelineEntry] = []
            try EventReader.forEachEvent(connection, logs: logs) { event in
                let holder = event.log == .grantEvents ? replay.grants[event.grantID ?? .null]?.accountID : nil
                let relevant = ExactText.equal(event.accountID, account) || ExactText.equal(holder, account)
                let reason = replay.apply(event)
                if relevant {
                    let now = event.instant ?? Timestamp(seconds: 0)
                    entries.append(
                        TimelineEntry(
                            event: event, invalidReason: reason,
                            findings: findings(for: account, replay: replay, reference: reference, now: now)))
                }
                return true
            }
            guard !entries.isEmpty || replay.account(account) != nil else { return nil }
            return TimelineReport(database: database, accountID: account, account: replay.account(account), entries: entries)
        }
    }

    /// The findings in force on `account` in the replayed state, at `now`.
    static func findings(for account: String, replay: Replay, reference: ReferenceData, now: Timestamp) -> [Finding] {
        let engine = AuditEngine(reference: reference, options: AuditOptions(now: now, mode: .replay))
        if let row = replay.account(account) { engine.add(account: row) }
        for grant in replay.grants(of: account) { engine.add(grant: grant) }
        return engine.finish().filter { rules.contains($0.rule) }
    }
}
