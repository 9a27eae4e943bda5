import Foundation

/// The fast engine behind `audit`: the same findings as the reference `AuditEngine` path, at
/// national scale.
///
/// Rows are read as bytes and ids interned into integer tables, so no String is made for a row
/// that breaks no rule. Each rule's condition is computed on those integers; a grant or account
/// for which any condition holds (a *candidate*) is then materialized and run through the very
/// same rule types, `AuditEngine` and evidence as the reference path, so messages and evidence
/// come from one place. Tests compare both paths' finding keys on generated databases.
///
/// Memory grows with accounts, organisations and live grants in the history, never with the
/// grants table (beyond the candidates).
enum FastAudit {
    /// A database the fast engine does not handle (non-integer grant ids); the reference path does.
    struct Unsupported: Error {
        let why: String
    }

    /// Where `audit` runs the history checks.
    enum HistoryWork {
        /// On a second thread when a connection on the same snapshot can be had, else `inline`.
        case automatic
        /// In the audit's own state, compared inside the grants pass: one thread, one grants pass.
        case inline
        /// In a state of its own (interners included), then merged: on a thread of its own reading
        /// `sibling`, or with nil here on the audit's connection (the tests run it that way too).
        case separate(sibling: Connection?)
    }

    static func run(
        _ connection: Connection, database: String, options: AuditOptions, history: HistoryWork = .automatic
    ) throws -> AuditReport {
        var phases = PhaseTimer(options.tuning.phases)
        let presence = try ContractSchema.check(connection)
        let logs = try EventReader.logs(connection, presence: presence)
        let state = FastState(reference: try DatabaseAudit.loadReference(connection), options: options)
        phases.mark("schema and reference tables")
        var work = history
        if case .automatic = work {
            // The separate history pass reads `grants` a second time: only a table is sure to give
            // the same rows twice (a view may not: `random()`), so anything else is read once.
            let separate = try TableOrder.isTable(connection, "grants")
            work = try (separate ? sameSnapshotSibling(connection, tuning: options.tuning) : nil).map { .separate(sibling: $0) } ?? .inline
        }
        switch work {
        case .separate(let sibling) where logs.any:
            // The grant log's replay, then the grants compared with it, in a state of its own; the
            // accounts, the grant rules and the account log's validity in this one. `audit` applies
            // no account event, so the two logs need not be merged: only grant events change
            // what the comparison sees, and an event's validity does not depend on its place.
            let history = FastState(reference: state.reference, options: options)
            let historyWork = { (reader: Connection) in
                if logs.grantEvents {
                    try history.replay(reader, logs: EventReader.Logs(grantEvents: true, accountEvents: false))
                    try history.compareHistoryPass(reader)
                }
            }
            let rulesWork = {
                try state.loadAccounts(connection)
                phases.mark("accounts")
                try state.scanGrants(connection, compareHistory: false)
                phases.mark("grants")
                if logs.accountEvents {
                    try state.replay(connection, logs: EventReader.Logs(grantEvents: false, accountEvents: true), validityOnly: true)
                    phases.mark("account log")
                }
            }
            if let sibling {
                try BackgroundWork.reading(sibling, historyWork).alongside(rulesWork)
                phases.mark("waiting for history (other core)")
            } else {
                try historyWork(connection)
                phases.mark("history replay and comparison")
                try rulesWork()
            }
            state.adoptHistory(from: history)
        default:
            // One connection: the second core steps SQLite while this one works.
            try state.loadAccounts(connection, pipelined: options.tuning.pipelines)
            phases.mark("accounts")
            if logs.any { try state.replay(connection, logs: logs, pipelined: options.tuning.pipelines) }
            phases.mark("history replay")
            try state.scanGrants(connection, compareHistory: logs.grantEvents)
            phases.mark("grants")
        }
        let engine = try state.finish(connection)
        state.releaseTables()
        phases.mark("candidates through the rules")
        let findings = engine.finish()
        phases.mark("account rules and sorting")
        var report = AuditReport(
            command: "audit", database: database, now: options.now, accounts: state.accountRows, grants: state.grantRows,
            findings: findings, notChecked: DatabaseAudit.historyNotChecked(presence: presence, logs: logs))
        report.history = logs
        return report
    }
}

extension FastAudit {
    /// A second connection, already inside a read transaction that is certain to see the same
    /// snapshot as `connection` (which must already be reading inside its own), or nil to stay
    /// on one connection. The caller ends its transaction (`BackgroundWork.reading` does).
    ///
    /// In a rollback-journal database the open transaction holds a SHARED lock, so no writer can
    /// commit until it ends: a second reader sees the same state. Its own SHARED lock is taken at
    /// once, without waiting: the only thing that can refuse it is a writer holding PENDING (waiting
    /// for our first reader to finish), and then waiting would only delay the audit, so it stays on
    /// one connection. An `immutable` file is not written at all. A WAL database lets writers
    /// commit alongside readers, and this SQLite has no `sqlite3_snapshot_open`, so WAL files (and
    /// in-memory or mapped databases) stay on one connection. `tuning.threads == false` keeps
    /// everything on one thread.
    static func sameSnapshotSibling(_ connection: Connection, tuning: AuditOptions.Tuning) throws -> Connection? {
        guard tuning.pipelines else { return nil }
        if !connection.isImmutable {
            var mode = ""
            try connection.prepare("PRAGMA journal_mode").forEachRow { mode = $0.text(0)?.lowercased() ?? "" }
            guard mode != "wal" else { return nil }
        }
        guard let sibling = try? connection.sibling() else { return nil }
        sibling.setBusyTimeout(milliseconds: 0)
        do {
            try sibling.execute("BEGIN DEFERRED")
            try sibling.execute("SELECT count(*) FROM sqlite_schema")
        } catch {
            return nil
        }
        sibling.setBusyTimeout(milliseconds: connection.openedBusyTimeout)
        return sibling
    }
}
