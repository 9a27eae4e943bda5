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
            let history = FastState(reference: state.reference, options: options, historyOnly: true)
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

/// The fast engine's working state.
// Every stored `var` is `@exclusivity(unchecked)`: the state is only ever touched by the thread
// that owns it (the history thread has its own FastState), and the dynamic checks cost ~7% of a
// national-scale audit. Per property rather than `-enforce-exclusivity=unchecked` for the whole
// module, so Package.swift has no unsafeFlags and AccessAuditKit can be a dependency.
final class FastState {
    let reference: ReferenceData
    let options: AuditOptions
    let cutoff: Timestamp

    // Organisations: interned ids (also every scope and remit id seen), which exist, their policy.
    @exclusivity(unchecked) var orgs = ByteInterner()
    @exclusivity(unchecked) var orgExists: [Bool] = []
    @exclusivity(unchecked) var orgPolicy: [Int32] = []
    @exclusivity(unchecked) var policies: [Policy] = []
    @exclusivity(unchecked) var remit = Set<UInt64>()
    // Valid levels: interned name → rank.
    @exclusivity(unchecked) var levels = ByteInterner(capacity: 16)
    @exclusivity(unchecked) var levelRank: [Int64] = []

    // Accounts, by interned account id (the first row of each id).
    @exclusivity(unchecked) var accounts = ByteInterner()
    @exclusivity(unchecked) var accountExists: [Bool] = []
    /// The interned organisation id text (existing or not), -1 for NULL.
    @exclusivity(unchecked) var accountOrg: [Int32] = []
    /// A replayed status (a `values` id, -1 NULL), or `statusFromTable`.
    @exclusivity(unchecked) var accountStatus: [Int32] = []
    @exclusivity(unchecked) var accountFlags: [UInt8] = []
    @exclusivity(unchecked) var usernames: [UInt8] = []
    @exclusivity(unchecked) var usernameStart: [Int32] = []
    @exclusivity(unchecked) var usernameLength: [Int32] = []
    @exclusivity(unchecked) var auditable: [Int32] = []
    /// An account's first grant in grant_id order (`duplicate`): -1 in `firstLevel` when none yet.
    @exclusivity(unchecked) var firstLevel: [Int32] = []
    @exclusivity(unchecked) var firstScope: [Int32] = []
    @exclusivity(unchecked) var firstGrant: [Int64] = []
    @exclusivity(unchecked) var needed: [Bool] = []
    /// The fingerprint of each account's first row (`rowPrint`), 0 for an id the table lacks:
    /// the second pass takes the rows by id and checks them against it.
    @exclusivity(unchecked) var rowPrint: [UInt64] = []
    /// The rows of `accounts` with a NULL or repeated id and a bad timestamp: how many, and the
    /// wrapping sum of their fingerprints.
    @exclusivity(unchecked) var extraRows = 0
    @exclusivity(unchecked) var extraPrint: UInt64 = 0
    @exclusivity(unchecked) var accountRows = 0

    // Grants.
    @exclusivity(unchecked) var seen: [DuplicateKey: Int64] = [:]
    @exclusivity(unchecked) var candidates: [(grant: GrantRow, duplicateOf: GrantID?)] = []
    @exclusivity(unchecked) var grantRows = 0

    // History.
    @exclusivity(unchecked) var values = ByteInterner()
    @exclusivity(unchecked) var valueIsBlank: [Bool] = []
    @exclusivity(unchecked) var replayed = CompactReplay()
    @exclusivity(unchecked) var historyPairs: [(table: GrantRow?, replayed: GrantRow?)] = []
    /// Per pair, the account id bytes it is about (only `compareHistoryPass` fills this).
    @exclusivity(unchecked) var historyPairAccounts: [[UInt8]?] = []
    @exclusivity(unchecked) var invalidEvents: [Finding] = []
    /// Per `values` id: its valid level (-1 none, -2 not yet looked up), its organisation id.
    @exclusivity(unchecked) var valueLevel: [Int32] = []
    @exclusivity(unchecked) var valueOrg: [Int32] = []
    /// Per account index, the first and last of its live grants (exposure only), the grants
    /// linked in between through `replayed`'s links: no allocation per grant or account.
    @exclusivity(unchecked) var firstLive: [Int64?] = []
    @exclusivity(unchecked) var lastLive: [Int64?] = []

    /// `accountFlags`: active status; last activity before the dormant cut-off; a bad timestamp.
    static let active: UInt8 = 1, dormant: UInt8 = 2, badTimestamp: UInt8 = 4
    static let statusFromTable: Int32 = -2

    struct DuplicateKey: Hashable {
        let account: Int32
        let level: Int32
        let scope: Int32
    }

    /// A state that holds only the grant log's replay (the audit's history thread): accounts are
    /// interned for their ids alone, without the per-account arrays.
    let historyOnly: Bool

    init(reference: ReferenceData, options: AuditOptions, historyOnly: Bool = false) {
        self.reference = reference
        self.options = options
        self.historyOnly = historyOnly
        cutoff = options.dormantCutoff
        // Interned as the database's bytes (`DBText.bytes`: a String's UTF-8 differs for bytes
        // that are not UTF-8), keyed byte for byte (`ExactText`).
        for (name, rank) in reference.levels.ranks.sorted(by: { $0.key < $1.key }) {
            DBText.bytes(name.string).withUnsafeBufferPointer { _ = levels.intern($0) }
            levelRank.append(rank)
        }
        var policyIndex: [ExactText: Int32] = [:]
        for (type, policy) in reference.policies.sorted(by: { $0.key < $1.key }) {
            policyIndex[type] = Int32(policies.count)
            policies.append(policy)
        }
        for (id, org) in reference.organisations.sorted(by: { $0.key < $1.key }) {
            let index = orgID(id.string)
            orgExists[Int(index)] = true
            orgPolicy[Int(index)] = ExactText(org.orgType).flatMap { policyIndex[$0] } ?? -1
        }
        for (org, covered) in reference.remit {
            let a = orgID(org.string)
            for other in covered { remit.insert(UInt64(UInt32(a)) << 32 | UInt64(UInt32(orgID(other.string)))) }
        }
    }

    private func orgID(_ text: String) -> Int32 {
        DBText.bytes(text).withUnsafeBufferPointer { orgID($0) }
    }

    /// Throws `Unsupported` for a value too long to intern (the reference path takes it).
    @inline(__always)
    static func check(_ bytes: UnsafeBufferPointer<UInt8>?) throws {
        if let bytes, bytes.count > ByteInterner.maximumLength {
            throw FastAudit.Unsupported(why: "a value longer than \(ByteInterner.maximumLength) bytes")
        }
    }

    /// The account index of an id, creating an entry (not existing) for an id the accounts
    /// table lacks, so history can name it; NULL is `CompactReplay.null`.
    @inline(__always)
    func accountValue(_ bytes: UnsafeBufferPointer<UInt8>?) -> Int32 {
        guard let bytes else { return CompactReplay.null }
        let (index, isNew) = accounts.intern(bytes)
        if isNew, !historyOnly { appendAccount(exists: false, org: -1, flags: FastState.active, username: nil) }
        return index
    }

    func accountText(_ id: Int32) -> String? {
        id == CompactReplay.null ? nil : accounts.string(id)
    }

    /// Appends the per-account arrays for a new account index.
    func appendAccount(
        exists: Bool, org: Int32, flags: UInt8, username: UnsafeBufferPointer<UInt8>?, rowPrint print: UInt64 = 0
    ) {
        accountExists.append(exists)
        accountOrg.append(org)
        accountFlags.append(flags)
        accountStatus.append(FastState.statusFromTable)
        usernameStart.append(Int32(usernames.count))
        usernameLength.append(username.map { Int32($0.count) } ?? -1)
        if let username { usernames.append(contentsOf: username) }
        auditable.append(0)
        firstLevel.append(-1)
        firstScope.append(-1)
        firstGrant.append(0)
        needed.append(false)
        rowPrint.append(print)
    }

    /// Drops the per-account entries from `count` on (the interner keeps its ids).
    func truncateAccounts(to count: Int) {
        func cut<T>(_ array: inout [T]) { if array.count > count { array.removeSubrange(count...) } }
        cut(&accountExists)
        cut(&accountOrg)
        cut(&accountFlags)
        cut(&accountStatus)
        cut(&usernameStart)
        cut(&usernameLength)
        cut(&auditable)
        cut(&firstLevel)
        cut(&firstScope)
        cut(&firstGrant)
        cut(&needed)
        cut(&rowPrint)
    }

    /// The policy an existing account's grants are judged by, nil when unauditable for its
    /// account, organisation or policy.
    @inline(__always)
    func policyIndex(ofAccount account: Int32) -> Int32? {
        guard accountExists[Int(account)] else { return nil }
        let org = accountOrg[Int(account)]
        guard org >= 0, orgExists[Int(org)] else { return nil }
        let policy = orgPolicy[Int(org)]
        return policy >= 0 ? policy : nil
    }

    /// The interned id of an organisation id (or any scope value).
    @inline(__always)
    func orgID(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (id, isNew) = orgs.intern(bytes)
        if isNew {
            orgExists.append(false)
            orgPolicy.append(-1)
        }
        return id
    }

    /// The interned id of a history value; NULL is `CompactReplay.null`.
    @inline(__always)
    func valueID(_ bytes: UnsafeBufferPointer<UInt8>?) -> Int32 {
        guard let bytes else { return CompactReplay.null }
        let (id, isNew) = values.intern(bytes)
        if isNew { valueIsBlank.append(Blank.isBlank(bytes: bytes)) }
        return id
    }

    /// The value's id with blank folded into NULL, as `history-mismatch` compares.
    @inline(__always)
    func folded(_ id: Int32) -> Int32 {
        id == CompactReplay.null || valueIsBlank[Int(id)] ? CompactReplay.null : id
    }

    func valueText(_ id: Int32) -> String? {
        id == CompactReplay.null ? nil : values.string(id)
    }
}
