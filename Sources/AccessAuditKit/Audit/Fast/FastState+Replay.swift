extension FastState {
    /// What one applied event touched, for `exposure`.
    struct Applied {
        let instant: Timestamp
        /// The grants whose state may have changed.
        let grants: [Int64]
    }

    /// What a replay tells its caller as it goes (`exposure`, `investigate` and `actors` follow
    /// breaches with them); each is optional.
    struct ReplayHooks {
        /// Before an event with a valid time at or before `until` is applied.
        var willApply: ((Timestamp) throws -> Void)?
        /// After an event was applied, with what it touched and its row.
        var applied: ((Applied, any RowValues) throws -> Void)?
        /// The cheap ordered read fell back: everything starts over.
        var reset: (() throws -> Void)?

        static var none: ReplayHooks { ReplayHooks() }
    }

    /// One replay's settings.
    private struct ReplayRun {
        /// `replay` and `exposure` apply account events too; `audit` only checks them.
        let accountEvents: Bool
        let until: Timestamp?
        let hooks: ReplayHooks
        /// Whether `hooks.applied` is set (kept, so the closure is not copied per event).
        let tracking: Bool

        init(accountEvents: Bool, until: Timestamp?, hooks: ReplayHooks) {
            self.accountEvents = accountEvents
            self.until = until
            self.hooks = hooks
            tracking = hooks.applied != nil
        }
    }

    /// Replays both logs in order (CONTRACT.md §4) onto the compact state, recording invalid
    /// events. `audit` needs only the grants (account events are checked for validity);
    /// `replay` and `exposure` apply account events too (`accountEvents`) and stop after `until`.
    /// With `pipelined`, SQLite is read on a second thread (`EventReader.forEachRowPipelined`);
    /// logs out of `event_id` order are sorted (`EventSort`) within `options.tuning`. `validityOnly`
    /// (the account log in `audit`, which applies none of it) reads in table order: an event's
    /// validity does not depend on its place.
    func replay(
        _ connection: Connection, logs: EventReader.Logs, accountEvents: Bool = false, until: Timestamp? = nil,
        pipelined: Bool = false, validityOnly: Bool = false, hooks: ReplayHooks = .none
    ) throws {
        let run = ReplayRun(accountEvents: accountEvents, until: until, hooks: hooks)
        let before = accountEvents ? perAccount.snapshot() : nil
        startReplay(run)
        let reset = { [self] in
            startReplay(run)
            if let before { perAccount.restore(before) }
            try hooks.reset?()
        }
        let activeStatus = activeValue
        if validityOnly, !logs.grantEvents, !accountEvents, until == nil, hooks.applied == nil, hooks.willApply == nil {
            try EventReader.forEachRowUnordered(connection, logs: logs) { _ = try apply($0, $1, run, activeStatus: activeStatus) }
        } else if pipelined {
            try EventReader.forEachRowPipelined(connection, logs: logs, tuning: options.tuning, reset: reset) {
                try apply($0, $1, run, activeStatus: activeStatus)
            }
        } else {
            try EventReader.forEachRowFast(
                connection, logs: logs, tuning: options.tuning, reset: reset,
                inOrder: { try apply($0, $1, run, activeStatus: activeStatus) },
                sorted: { try apply($0, $1, run, activeStatus: activeStatus) })
        }
    }

    /// An empty replayed state.
    private func startReplay(_ run: ReplayRun) {
        replayed = CompactReplay(keepsDetail: run.accountEvents, keepsLinks: run.tracking)
        invalidEvents = []
        perAccount.clearLive()
    }

    private func recordInvalid(_ row: some RowValues, _ reason: String) {
        invalidEvents.append(RuleRegistry.invalidEvent.finding(for: HistoryEvent(row: row), reason: reason))
    }

    /// One event: false once past `until` (the rest are not applied).
    private func apply<R: RowValues>(_ row: R, _ parsed: Timestamp?, _ run: ReplayRun, activeStatus: Int32) throws -> Bool {
        typealias C = EventReader.Column
        guard let instant = parsed else {
            recordInvalid(row, Replay.Reason.badTime(row.text(C.occurredAt)))
            return true
        }
        if let until = run.until, instant > until { return false }
        if let willApply = run.hooks.willApply { try willApply(instant) }
        // Each column is read once (every read is a call into SQLite) and checked before use.
        let accountID = row.bytes(C.accountID), actor = row.bytes(C.actor), approvedBy = row.bytes(C.approvedBy)
        try FastState.check(accountID)
        try FastState.check(actor)
        try FastState.check(approvedBy)
        if row.int64(C.log) == 0 {
            let account = try applyAccountEvent(row, accountID: accountID, run, activeStatus: activeStatus)
            if run.tracking, let account, let applied = run.hooks.applied {
                try applied(Applied(instant: instant, grants: liveGrants(of: account)), row)
            }
        } else {
            let grant = try applyGrantEvent(row, accountID: accountID, actor: actor, approvedBy: approvedBy, run)
            if run.tracking, let grant, let applied = run.hooks.applied { try applied(Applied(instant: instant, grants: [grant]), row) }
        }
        return true
    }

    /// `create`, `move` or `status`: the account it changed, nil when not applied.
    private func applyAccountEvent<R: RowValues>(
        _ row: R, accountID: UnsafeBufferPointer<UInt8>?, _ run: ReplayRun, activeStatus: Int32
    ) throws -> Int32? {
        typealias C = EventReader.Column
        let action = row.bytes(C.action)
        let create = matches(action, "create"), move = matches(action, "move")
        guard create || move || matches(action, "status") else {
            recordInvalid(row, Replay.Reason.unknownAccountAction(row.text(C.action)))
            return nil
        }
        guard run.accountEvents, let id = accountID else { return nil }
        let org = row.bytes(C.orgID)
        try FastState.check(org)
        let account = accountValue(id)
        let newOrg = create || move ? org.map { orgID($0) } ?? -1 : nil
        var status: (id: Int32, active: Bool)?
        if !move {
            let bytes = row.bytes(C.status)
            status = create && Blank.isBlank(bytes: bytes) ? (activeStatus, true) : (valueID(bytes), Blank.isActiveStatus(bytes: bytes))
        }
        perAccount.update(account) { state in
            if !state.exists {
                state.set(Account.Flag.exists)
                state.replayStatus(activeStatus, active: true)
            }
            if let newOrg { state.org = newOrg }
            if let status { state.replayStatus(status.id, active: status.active) }
        }
        return account
    }

    /// `grant`, `change` or `revoke`: the grant it changed, nil when invalid.
    private func applyGrantEvent<R: RowValues>(
        _ row: R, accountID: UnsafeBufferPointer<UInt8>?, actor: UnsafeBufferPointer<UInt8>?,
        approvedBy: UnsafeBufferPointer<UInt8>?, _ run: ReplayRun
    ) throws -> Int64? {
        typealias C = EventReader.Column
        guard row.storageClass(C.grantID) == .integer else {
            throw FastAudit.Unsupported(why: "grant_events has a grant_id that is not an integer")
        }
        let level = row.bytes(C.level), scope = row.bytes(C.scopeOrgID)
        try FastState.check(level)
        try FastState.check(scope)
        // Only `replay` and `exposure` keep the expiry; `audit` never reads it.
        let expires = run.accountEvents ? row.bytes(C.expiresAt) : nil
        try FastState.check(expires)
        let id = row.int64(C.grantID)
        let action = row.bytes(C.action)
        let reason: String?
        if matches(action, "grant") {
            if replayed.get(id) != nil {
                reason = Replay.Reason.exists(.integer(id))
            } else {
                let account = accountValue(accountID)
                guard row.storageClass(C.eventID) == .integer || !run.accountEvents else {
                    throw FastAudit.Unsupported(why: "grant_events has an event_id that is not an integer")
                }
                let grant = CompactReplay.Grant(
                    account: account, level: valueID(level), scope: valueID(scope), grantedBy: valueID(actor),
                    approvedBy: valueID(approvedBy), expires: valueID(expires), created: row.int64(C.eventID))
                create(id, grant, run)
                reason = nil
            }
        } else if matches(action, "change") {
            reason = change(id, accountID: accountID, level: level, scope: scope, approvedBy: approvedBy, expires: expires, row)
        } else if matches(action, "revoke") {
            reason = revoke(id, run)
        } else {
            reason = Replay.Reason.unknownGrantAction(row.text(C.action))
        }
        if let reason {
            recordInvalid(row, reason)
            return nil
        }
        return id
    }

    /// A valid `grant` event (its grant_id is not live).
    private func create(_ id: Int64, _ grant: CompactReplay.Grant, _ run: ReplayRun) {
        replayed.set(id, grant)
        if run.tracking, grant.account != CompactReplay.null { appendLive(id, account: grant.account) }
    }

    /// A `change` event: why it is invalid, or nil once applied.
    private func change(
        _ id: Int64, accountID: UnsafeBufferPointer<UInt8>?, level: UnsafeBufferPointer<UInt8>?,
        scope: UnsafeBufferPointer<UInt8>?, approvedBy: UnsafeBufferPointer<UInt8>?, expires: UnsafeBufferPointer<UInt8>?,
        _ row: some RowValues
    ) -> String? {
        guard var grant = replayed.get(id) else { return Replay.Reason.missing("change", .integer(id)) }
        guard grant.account == accountValue(accountID) else {
            return Replay.Reason.otherAccount(
                .integer(id), event: row.text(EventReader.Column.accountID), holder: accountText(grant.account))
        }
        grant.level = valueID(level)
        grant.scope = valueID(scope)
        grant.approvedBy = valueID(approvedBy)
        grant.expires = valueID(expires)
        replayed.set(id, grant)
        return nil
    }

    /// A `revoke` event: why it is invalid, or nil once applied.
    private func revoke(_ id: Int64, _ run: ReplayRun) -> String? {
        guard let grant = replayed.get(id) else { return Replay.Reason.missing("revoke", .integer(id)) }
        // Unlinked while still live (its link lives beside it), then removed.
        if run.tracking, grant.account != CompactReplay.null { removeLive(id, account: grant.account) }
        replayed.set(id, nil)
        return nil
    }
}
