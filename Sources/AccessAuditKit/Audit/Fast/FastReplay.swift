/// `replay --as-of T` and `exposure` on the fast engine's compact state: the same results as
/// `ReplayAudit` and `Exposure` (tests compare them), without a String per event or per grant.
enum FastReplay {
    /// The state rebuilt at T, audited.
    static func audit(
        _ connection: Connection, database: String, asOf: Timestamp, tuning: AuditOptions.Tuning = .init()
    ) throws -> AuditReport {
        var phases = PhaseTimer(tuning.phases)
        let pipelined = tuning.pipelines
        let (state, logs) = try open(connection, database: database, now: asOf, tuning: tuning)
        phases.mark("schema, reference tables, accounts")
        try state.replay(connection, logs: logs, accountEvents: true, until: asOf, pipelined: pipelined)
        phases.mark("history replay")
        // Judge every live grant in grant_id order, keeping only what can fire.
        var candidates: [(Int64, CompactReplay.Grant, GrantID?)] = []
        var live = 0
        let now = asOf
        state.replayed.forEach { id, grant in
            live += 1
            guard let resolved = state.resolve(grant) else {
                candidates.append((id, grant, nil))
                return
            }
            state.perAccount.update(resolved.account) { $0.auditable += 1 }
            let duplicateOf = state.duplicate(id, account: resolved.account, level: resolved.level, scope: state.scope(ofValue: grant.scope))
            let facts = FastState.Facts(state.judged(grant, resolved, isDuplicate: duplicateOf != nil, now: now))
            if StateRule.anyHolds(facts) { candidates.append((id, grant, duplicateOf.map { .integer($0) })) }
        }
        for (_, grant, _) in candidates where grant.account != CompactReplay.null { state.markNeeded(grant.account) }
        // The live grants and the duplicate table are not read again (the candidates hold copies):
        // freed before the findings are made, the largest part of the state at national scale.
        state.seen = [:]
        state.replayed = CompactReplay()
        phases.mark("judging live grants")
        // Two independent scans: the candidates' granted_at (grant_events) on a second connection
        // when one reads the same snapshot, while this one takes the needed accounts' rows.
        let created = Set(candidates.map(\.1.created))
        let engine = AuditEngine(reference: state.reference, options: state.options)
        var grantedAt: [Int64: String] = [:]
        let added: [Int32]
        if let sibling = try FastAudit.sameSnapshotSibling(connection, tuning: tuning) {
            added = try BackgroundWork.reading(sibling) { grantedAt = try occurredAt($0, of: created) }.alongside {
                try state.addNeededAccounts(connection, to: engine, replayed: true)
            }
        } else {
            grantedAt = try occurredAt(connection, of: created)
            added = try state.addNeededAccounts(connection, to: engine, replayed: true)
        }
        phases.mark("granted_at and needed accounts")
        for (id, grant, duplicateOf) in candidates {
            var row = state.materialize(id, grant)
            row.grantedAt = grantedAt[grant.created]
            row.expiresAt = state.valueText(grant.expires)
            engine.add(grant: row, duplicateOf: duplicateOf)
        }
        candidates = []
        grantedAt = [:]
        for index in added { engine.setAuditableGrants(Int(state.perAccount[index].auditable), account: state.accounts.string(index)) }
        for finding in state.invalidEvents { engine.record(finding) }
        let accounts = state.perAccount.existing
        state.releaseTables()
        phases.mark("candidates through the rules")
        defer { phases.mark("sorting") }
        return AuditReport(
            command: "replay", database: database, now: asOf, accounts: accounts, grants: live,
            findings: engine.finish(), notChecked: ReplayAudit.notChecked)
    }

    /// Every maximal interval inside [from, to] during which a grant broke `rule`.
    static func exposure(
        _ connection: Connection, database: String, from: Timestamp, to: Timestamp, rule: String,
        tuning: AuditOptions.Tuning = .init()
    ) throws -> ExposureReport {
        guard let condition = StateRule(rawValue: rule), condition.followedByExposure else {
            throw AuditError.invalidArgument("--rule \(rule) is not a rule exposure follows")
        }
        var phases = PhaseTimer(tuning.phases)
        let (state, logs) = try open(connection, database: database, now: to, tuning: tuning)
        phases.mark("schema, reference tables, accounts")
        var tracker = Tracker(state: state, rule: condition)
        var gate = WindowGate(from: from)
        let hooks = FastState.ReplayHooks(
            willApply: { instant in
                gate.advance(to: instant, noteBefore: { tracker.noteBreakingBeforeStart() }, open: { tracker.start(at: from) })
            },
            applied: { applied, row in
                guard gate.isOpen else { return }
                for id in applied.grants { tracker.update(id, at: applied.instant, row: row) }
            },
            reset: {
                tracker = Tracker(state: state, rule: condition)
                gate = WindowGate(from: from)
            })
        try state.replay(connection, logs: logs, accountEvents: true, until: to, pipelined: tuning.pipelines, hooks: hooks)
        phases.mark("history replay and intervals")
        gate.finish { tracker.start(at: from) }
        return ExposureReport(
            database: database, rule: rule, from: from, to: to, intervals: tracker.finish(at: to),
            invalidEvents: state.invalidEvents.count)
    }

    static func open(
        _ connection: Connection, database: String, now: Timestamp, tuning: AuditOptions.Tuning
    ) throws -> (FastState, EventReader.Logs) {
        let presence = try ContractSchema.check(connection)
        let logs = try EventReader.logs(connection, presence: presence)
        guard logs.any else { throw AuditError.noHistory(database) }
        let state = FastState(
            reference: try DatabaseAudit.loadReference(connection), options: AuditOptions(now: now, mode: .replay, tuning: tuning))
        try state.loadAccounts(connection, pipelined: tuning.pipelines)
        return (state, logs)
    }

    /// The occurred_at text of the given grant events (a grant's granted_at), by event_id.
    private static func occurredAt(_ connection: Connection, of ids: Set<Int64>) throws -> [Int64: String] {
        var texts: [Int64: String] = [:]
        guard !ids.isEmpty else { return texts }
        try connection.prepare("SELECT event_id, occurred_at FROM grant_events").forEachRow { row in
            let id = row.int64(0)
            guard row.storageClass(0) == .integer, ids.contains(id) else { return }
            let text = row.text(1) ?? ""
            if let earlier = texts[id], earlier != text {
                throw FastAudit.Unsupported(why: "grant_events repeats event_id \(id)")
            }
            texts[id] = text
        }
        return texts
    }

    /// Follows breaches while events are applied (the fast twin of `Exposure.Tracker`).
    final class Tracker {
        let state: FastState
        let rule: StateRule
        private var book = IntervalBook<Int64>()

        init(state: FastState, rule: StateRule) {
            self.state = state
            self.rule = rule
        }

        /// Before the events at T1 itself: which live grants break the rule (for `clipped`).
        func noteBreakingBeforeStart() {
            var ids = Set<Int64>()
            state.replayed.forEach { id, grant in if state.breaks(rule, grant) { ids.insert(id) } }
            book.noteBreakingBeforeStart(ids)
        }

        /// Opens an interval at `from` for every live grant that breaks the rule then.
        func start(at from: Timestamp) {
            book.openWindow(at: from)
            var ids: [Int64] = []
            state.replayed.forEach { id, _ in ids.append(id) }
            for id in ids { update(id, at: from, row: nil) }
        }

        func update(_ id: Int64, at instant: Timestamp, row: (any RowValues)?) {
            let grant = state.replayed.get(id)
            book.record(
                id, breaking: grant.map { state.breaks(rule, $0) } ?? false, at: instant,
                opening: {
                    guard let grant else { return nil }
                    let org = state.perAccount[grant.account].org
                    return ExposureInterval(
                        rule: rule.id, grantID: .integer(id), accountID: state.accountText(grant.account),
                        orgID: org >= 0 ? state.orgs.string(org) : nil, level: state.valueText(grant.level),
                        start: instant, end: instant, ongoing: false,
                        username: state.perAccount.withUsername(grant.account) { $0.map(DBText.decode) },
                        grantedBy: state.valueText(grant.grantedBy), approvedBy: state.valueText(grant.approvedBy))
                },
                ending: { interval in
                    typealias C = EventReader.Column
                    interval.endedBy = row?.text(C.actor)
                    interval.endedByAction = row?.text(C.action)
                    interval.endNote = row?.text(C.note)
                })
        }

        func finish(at to: Timestamp) -> [ExposureInterval] {
            book.finish(at: to)
        }
    }
}
