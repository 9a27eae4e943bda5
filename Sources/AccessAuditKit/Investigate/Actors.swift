/// `actors [--from T1] [--to T2]`: for each person who granted, changed or approved in the window,
/// what their allocations did to policy, from the grant log (the state right after each event), or
/// from `grants` as it stands when there is no log.
public enum Actors {
    public static func run(_ connection: Connection, database: String, from: Timestamp?, to: Timestamp?) throws -> ActorsReport {
        if let from, let to, from > to { throw AuditError.invalidArgument("--from \(from) is after --to \(to)") }
        return try DatabaseAudit.readTransaction(connection, database: database) {
            let presence = try ContractSchema.check(connection)
            let logs = try EventReader.logs(connection, presence: presence)
            let tally: ActorTally
            if logs.grantEvents {
                do {
                    tally = try fast(connection, database: database, from: from, to: to)
                } catch is FastAudit.Unsupported {
                    tally = try reference(connection, database: database, from: from, to: to)
                }
            } else {
                tally = try fromGrants(connection, from: from, to: to)
            }
            return ActorsReport(
                database: database, from: from, to: to, source: logs.grantEvents ? "grant_events" : "grants", actors: tally.sorted())
        }
    }

    static func inWindow(_ instant: Timestamp?, from: Timestamp?, to: Timestamp?) -> Bool {
        guard let instant else { return from == nil && to == nil }
        return (from.map { instant >= $0 } ?? true) && (to.map { instant <= $0 } ?? true)
    }

    static func fast(
        _ connection: Connection, database: String, from: Timestamp?, to: Timestamp?, tuning: AuditOptions.Tuning = .init()
    ) throws -> ActorTally {
        typealias C = EventReader.Column
        let (state, logs) = try FastReplay.open(connection, database: database, now: to ?? .end, tuning: tuning)
        var tally = ActorTally()
        // Each distinct name is decoded once: values id -> its text.
        var names: [Int32: String] = [:]
        func name(_ id: Int32) -> String? {
            guard id != CompactReplay.null, !state.isBlankValue(id) else { return nil }
            if let known = names[id] { return known }
            let text = state.valueText(id)
            names[id] = text
            return text
        }
        let hooks = FastState.ReplayHooks(
            applied: { applied, row in
                guard row.int64(C.log) == 1, let id = applied.grants.first, let grant = state.replayed.get(id),
                    state.matches(row.bytes(C.action), "grant") || state.matches(row.bytes(C.action), "change"),
                    inWindow(applied.instant, from: from, to: to)
                else { return }
                let actor = state.valueID(row.bytes(C.actor))
                let rules = StateRule.exposed.filter { state.breaks($0, grant) }.map(\.id)
                tally.record(actor: name(actor), approver: name(grant.approvedBy), rules: rules, at: applied.instant)
            },
            reset: { tally = ActorTally() })
        try state.replay(connection, logs: logs, accountEvents: true, until: to, pipelined: tuning.pipelines, hooks: hooks)
        return tally
    }

    static func reference(_ connection: Connection, database: String, from: Timestamp?, to: Timestamp?) throws -> ActorTally {
        let (reference, logs, replay) = try HistorySource.open(connection, database: database, tracksAccounts: true)
        let walk = BreachWalk(rules: [], reference: reference, replay: replay, from: from ?? Investigate.beginning, to: to ?? .end)
        var tally = ActorTally()
        let reset = {
            walk.reset(replay: try HistorySource.replay(connection, tracksAccounts: true))
            tally = ActorTally()
        }
        try EventReader.forEachEvent(connection, logs: logs, reset: reset) { event in
            walk.step(event) { instant in
                guard event.log == .grantEvents, event.action == "grant" || event.action == "change",
                    inWindow(instant, from: from, to: to), let grant = walk.replay.grants[event.grantID ?? .null]
                else { return }
                tally.record(
                    actor: event.actor, approver: grant.approvedBy, rules: walk.rulesBroken(by: grant, at: instant), at: instant)
            } != nil
        }
        return tally
    }

    /// Without a grant log: each `grants` row is an allocation by `granted_by` at `granted_at`,
    /// judged in the current state.
    static func fromGrants(_ connection: Connection, from: Timestamp?, to: Timestamp?) throws -> ActorTally {
        let reference = try DatabaseAudit.loadReference(connection)
        let replay = try HistorySource.replay(connection, tracksAccounts: false)
        let walk = BreachWalk(rules: [], reference: reference, replay: replay, from: Investigate.beginning, to: .end)
        var tally = ActorTally()
        try DatabaseAudit.forEachGrant(connection) { grant in
            let instant = grant.grantedAt.flatMap(Timestamp.init)
            guard inWindow(instant, from: from, to: to) else { return }
            tally.record(
                actor: grant.grantedBy, approver: grant.approvedBy, rules: walk.rulesBroken(by: grant, at: instant ?? .end),
                at: instant)
        }
        return tally
    }
}

extension Timestamp {
    /// The latest instant the contract allows (9999-12-31T23:59:59Z).
    static let end = Timestamp(seconds: Timestamp.daysFromCivil(year: 9999, month: 12, day: 31) * 86_400 + 86_399)
}
