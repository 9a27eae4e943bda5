/// `replay --as-of T`: the audit of the state rebuilt from the history at T.
public enum ReplayAudit {
    /// The fast engine, or the reference path for what it does not handle.
    public static func run(
        _ connection: Connection, database: String, asOf: Timestamp, tuning: AuditOptions.Tuning = .init()
    ) throws -> AuditReport {
        do {
            return try DatabaseAudit.readTransaction(connection, database: database, tuning: tuning) {
                try FastReplay.audit(connection, database: database, asOf: asOf, tuning: tuning)
            }
        } catch is FastAudit.Unsupported {
            return try runReference(connection, database: database, asOf: asOf)
        }
    }

    /// The rules of §3 that `replay` does not run (§4): login history and the live table are not
    /// part of a rebuilt state.
    static let notChecked: [(rule: String, why: String)] = [
        ("history-mismatch", "not part of replay (the state is rebuilt from the log itself)"),
        ("dormant-account", "not part of replay (login history is not kept)"),
    ]

    /// The deliberately simple reference path (every event and grant as Strings).
    package static func runReference(_ connection: Connection, database: String, asOf: Timestamp) throws -> AuditReport {
        try DatabaseAudit.readTransaction(connection, database: database) {
            var (reference, logs, replay) = try HistorySource.open(connection, database: database, tracksAccounts: false)
            let engine = AuditEngine(reference: reference, options: AuditOptions(now: asOf, mode: .replay))
            var invalid: [Finding] = []
            let reset = {
                replay = try HistorySource.replay(connection, tracksAccounts: false)
                invalid = []
            }
            try EventReader.forEachEvent(connection, logs: logs, reset: reset) { event in
                // Events with an invalid time are all reported; valid ones after T are not applied.
                if let instant = event.instant, instant > asOf { return false }
                if let reason = replay.apply(event) {
                    invalid.append(RuleRegistry.invalidEvent.finding(for: event, reason: reason))
                }
                return true
            }
            for finding in invalid { engine.record(finding) }
            for id in replay.accountOrder {
                if let row = replay.account(id) { engine.add(account: row) }
            }
            for grant in replay.sortedGrants { engine.add(grant: grant) }
            return AuditReport(
                command: "replay", database: database, now: asOf, accounts: engine.accountRows,
                grants: engine.grantRows, findings: engine.finish(), notChecked: ReplayAudit.notChecked)
        }
    }
}

/// What every history command starts from: the schema check, the reference tables, and a replay
/// seeded with the accounts table as it is now. Exit 2 (`noHistory`) when neither log has a row.
enum HistorySource {
    static func open(
        _ connection: Connection, database: String, tracksAccounts: Bool
    ) throws -> (ReferenceData, EventReader.Logs, Replay) {
        let presence = try ContractSchema.check(connection)
        let logs = try EventReader.logs(connection, presence: presence)
        guard logs.any else { throw AuditError.noHistory(database) }
        let reference = try DatabaseAudit.loadReference(connection)
        return (reference, logs, try replay(connection, tracksAccounts: tracksAccounts))
    }

    /// A replay seeded with the accounts table as it is now.
    static func replay(_ connection: Connection, tracksAccounts: Bool) throws -> Replay {
        var rows: [AccountRow] = []
        try DatabaseAudit.forEachAccount(connection) { rows.append($0) }
        return Replay(accounts: rows, tracksAccounts: tracksAccounts)
    }

    /// Whether `grant` breaks `rule` in the replayed state at `now` (unauditable grants break no
    /// state rule: they are `unauditable-grant` instead).
    static func breaks(
        _ grant: GrantRow, rule: StateRule, replay: Replay, reference: ReferenceData, now: Timestamp
    ) -> Bool {
        let account = replay.account(grant.accountID)
        guard let account, case .auditable(let organisation, let policy, let rank) = reference.resolve(grant, account: account)
        else { return false }
        let facts = GrantFacts(
            grant: grant, account: AccountRecord(row: account), organisation: organisation, policy: policy,
            levelRank: rank, duplicateOf: nil, reference: reference, options: AuditOptions(now: now, mode: .replay))
        return rule.holds(facts)
    }
}
