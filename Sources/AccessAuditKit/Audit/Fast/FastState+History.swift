extension FastState {
    /// What one applied event touched, for `exposure`.
    struct Applied {
        let instant: Timestamp
        /// The grants whose state may have changed.
        let grants: [Int64]
    }

    /// Replays both logs in order (CONTRACT.md §4) onto the compact state, recording invalid
    /// events. `audit` needs only the grants (account events are checked for validity);
    /// `replay` and `exposure` apply account events too (`accountEvents`), stop after `until`, and
    /// `exposure` is told what each applied event touched (and, through `onReset`, when the
    /// cheap ordered read fell back and everything starts over). With `pipelined`, SQLite is read
    /// on a second thread (`EventReader.forEachRowPipelined`).
    func replay(
        _ connection: Connection, logs: EventReader.Logs, accountEvents: Bool = false, until: Timestamp? = nil,
        pipelined: Bool = false, beforeApply: ((Timestamp) throws -> Void)? = nil,
        onApplied: ((Applied, any RowValues) throws -> Void)? = nil, onReset: (() throws -> Void)? = nil
    ) throws {
        typealias C = EventReader.Column
        let tracking = onApplied != nil
        replayed = CompactReplay(keepsDetail: accountEvents, keepsLinks: tracking)
        firstLive = []
        lastLive = []
        let initialCount = accounts.count
        let initialAccounts = accountEvents ? (accountExists, accountOrg, accountFlags, accountStatus) : nil
        let reset = { [self] in
            replayed = CompactReplay(keepsDetail: accountEvents, keepsLinks: tracking)
            invalidEvents = []
            firstLive = []
            lastLive = []
            if let initialAccounts {
                // Restore the table's state; ids the aborted pass interned become non-existing entries.
                truncateAccounts(to: initialCount)
                (accountExists, accountOrg, accountFlags, accountStatus) = initialAccounts
                for _ in initialCount..<accounts.count {
                    appendAccount(exists: false, org: -1, flags: FastState.active, username: nil, ordinal: -1)
                }
            }
            try onReset?()
        }
        let activeStatus = activeValue
        func apply<R: RowValues>(_ row: R, _ parsed: Timestamp?) throws -> Bool {
            func invalid(_ reason: String) {
                invalidEvents.append(RuleRegistry.invalidEvent.finding(for: HistoryEvent(row: row), reason: reason))
            }
            guard let instant = parsed else {
                invalid(Replay.Reason.badTime(row.text(C.occurredAt)))
                return true
            }
            if let until, instant > until { return false }
            try beforeApply?(instant)
            // Each column is read once (every read is a call into SQLite) and checked before use.
            let accountID = row.bytes(C.accountID), actor = row.bytes(C.actor), approvedBy = row.bytes(C.approvedBy)
            try FastState.check(accountID)
            try FastState.check(actor)
            try FastState.check(approvedBy)
            let action = row.bytes(C.action)
            if row.int64(C.log) == 0 {
                let create = matches(action, "create")
                let move = matches(action, "move")
                guard create || move || matches(action, "status") else {
                    invalid(Replay.Reason.unknownAccountAction(row.text(C.action)))
                    return true
                }
                guard accountEvents, let id = accountID else { return true }
                let org = row.bytes(C.orgID)
                try FastState.check(org)
                let account = accountValue(id)
                let a = Int(account)
                if !accountExists[a] {
                    accountExists[a] = true
                    accountStatus[a] = activeStatus
                    accountFlags[a] = FastState.active
                }
                if create || move { accountOrg[a] = org.map { orgID($0) } ?? -1 }
                if !move {
                    let status = row.bytes(C.status)
                    if create, Blank.isBlank(bytes: status) {
                        accountStatus[a] = activeStatus
                        accountFlags[a] = FastState.active
                    } else {
                        accountStatus[a] = valueID(status)
                        accountFlags[a] = Blank.isActiveStatus(bytes: status) ? FastState.active : 0
                    }
                }
                if let onApplied { try onApplied(Applied(instant: instant, grants: liveGrants(of: account)), row) }
                return true
            }
            guard row.storageClass(C.grantID) == .integer else {
                throw FastAudit.Unsupported(why: "grant_events has a grant_id that is not an integer")
            }
            let level = row.bytes(C.level), scope = row.bytes(C.scopeOrgID)
            try FastState.check(level)
            try FastState.check(scope)
            // Only `replay` and `exposure` keep the expiry; `audit` never reads it.
            let expires = accountEvents ? row.bytes(C.expiresAt) : nil
            try FastState.check(expires)
            let id = row.int64(C.grantID)
            let grantID = GrantID.integer(id)
            if matches(action, "grant") {
                guard replayed.get(id) == nil else {
                    invalid(Replay.Reason.exists(grantID))
                    return true
                }
                let account = accountValue(accountID)
                guard row.storageClass(C.eventID) == .integer || !accountEvents else {
                    throw FastAudit.Unsupported(why: "grant_events has an event_id that is not an integer")
                }
                replayed.set(
                    id,
                    CompactReplay.Grant(
                        account: account, level: valueID(level), scope: valueID(scope), grantedBy: valueID(actor),
                        approvedBy: valueID(approvedBy), expires: valueID(expires), created: row.int64(C.eventID)))
                if tracking, account != CompactReplay.null { appendLive(id, account: account) }
            } else if matches(action, "change") {
                guard var grant = replayed.get(id) else {
                    invalid(Replay.Reason.missing("change", grantID))
                    return true
                }
                guard grant.account == accountValue(accountID) else {
                    invalid(Replay.Reason.otherAccount(grantID, event: row.text(C.accountID), holder: accountText(grant.account)))
                    return true
                }
                grant.level = valueID(level)
                grant.scope = valueID(scope)
                grant.approvedBy = valueID(approvedBy)
                grant.expires = valueID(expires)
                replayed.set(id, grant)
            } else if matches(action, "revoke") {
                guard let grant = replayed.get(id) else {
                    invalid(Replay.Reason.missing("revoke", grantID))
                    return true
                }
                // Unlinked while still live (its link lives beside it), then removed.
                if tracking, grant.account != CompactReplay.null { removeLive(id, account: grant.account) }
                replayed.set(id, nil)
            } else {
                invalid(Replay.Reason.unknownGrantAction(row.text(C.action)))
                return true
            }
            if let onApplied { try onApplied(Applied(instant: instant, grants: [id]), row) }
            return true
        }
        if pipelined {
            try EventReader.forEachRowPipelined(connection, logs: logs, reset: reset) { try apply($0, $1) }
        } else {
            try EventReader.forEachRow(connection, logs: logs, reset: reset) { try apply($0, $1) }
        }
    }

    /// Adds live grant `id` (just set in `replayed`) at the end of its account's list.
    func appendLive(_ id: Int64, account: Int32) {
        let a = Int(account)
        if firstLive.count <= a {
            let grow = accounts.count - firstLive.count
            firstLive.append(contentsOf: repeatElement(CompactReplay.none, count: grow))
            lastLive.append(contentsOf: repeatElement(CompactReplay.none, count: grow))
        }
        let last = lastLive[a]
        replayed.setLink(id, CompactReplay.Link(previous: last, next: CompactReplay.none))
        if last == CompactReplay.none { firstLive[a] = id } else { updateLink(last) { $0.next = id } }
        lastLive[a] = id
    }

    /// Changes the link of live grant `id` in place.
    private func updateLink(_ id: Int64, _ change: (inout CompactReplay.Link) -> Void) {
        var link = replayed.link(id)
        change(&link)
        replayed.setLink(id, link)
    }

    /// Unlinks live grant `id` (still in `replayed`) from its account's list.
    func removeLive(_ id: Int64, account: Int32) {
        let a = Int(account)
        guard a < firstLive.count else { return }
        let link = replayed.link(id)
        if link.previous == CompactReplay.none { firstLive[a] = link.next } else { updateLink(link.previous) { $0.next = link.next } }
        if link.next == CompactReplay.none { lastLive[a] = link.previous } else { updateLink(link.next) { $0.previous = link.previous } }
    }

    /// An account's live grants, in the order they were granted.
    func liveGrants(of account: Int32) -> [Int64] {
        let a = Int(account)
        guard a >= 0, a < firstLive.count else { return [] }
        var ids: [Int64] = []
        var id = firstLive[a]
        while id != CompactReplay.none {
            ids.append(id)
            id = replayed.link(id).next
        }
        return ids
    }

    /// The `values` id of the text "active" (the status an account event gives by default).
    var activeValue: Int32 {
        var text = "active"
        return text.withUTF8 { valueID($0) }
    }

    /// Exact byte equality with an ASCII word.
    @inline(__always)
    func matches(_ bytes: UnsafeBufferPointer<UInt8>?, _ word: StaticString) -> Bool {
        guard let bytes, bytes.count == word.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        return Blank.equal(bytes: bytes, expected)
    }

    /// Whether a grants value equals the log's (blank = NULL, otherwise exact).
    @inline(__always)
    func same(_ logged: Int32, _ bytes: UnsafeBufferPointer<UInt8>?) -> Bool {
        let logBlank = folded(logged) == CompactReplay.null
        if Blank.isBlank(bytes: bytes) { return logBlank }
        guard !logBlank, let bytes, let other = values.lookup(bytes) else { return false }
        return other == logged
    }

    /// Whether a grants row's account equals the log's (blank = NULL, otherwise exact). `account`
    /// is the row's account index, if the id was ever seen.
    @inline(__always)
    func sameAccount(_ logged: Int32, _ bytes: UnsafeBufferPointer<UInt8>?, account: Int32?) -> Bool {
        let logBlank = logged == CompactReplay.null || accounts.withBytes(logged) { Blank.isBlank(bytes: $0) }
        if Blank.isBlank(bytes: bytes) { return logBlank }
        return !logBlank && logged == account
    }

    /// The replayed grant as a row, for the `history-mismatch` finding.
    func materialize(_ id: Int64, _ grant: CompactReplay.Grant) -> GrantRow {
        GrantRow(
            grantID: .integer(id), accountID: accountText(grant.account), level: valueText(grant.level),
            scopeOrgID: valueText(grant.scope), grantedAt: nil, grantedBy: valueText(grant.grantedBy),
            approvedBy: valueText(grant.approvedBy))
    }
}
