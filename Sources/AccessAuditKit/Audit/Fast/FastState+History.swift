extension FastState {
    /// Replays both logs in order (CONTRACT.md §4) onto the compact state, recording invalid
    /// events. Only grant state matters to `audit`; account events are checked for validity.
    func replay(_ connection: Connection, logs: EventReader.Logs) throws {
        typealias C = EventReader.Column
        let reset = { [self] in
            replayed = CompactReplay()
            invalidEvents = []
        }
        try EventReader.forEachRow(connection, logs: logs, reset: reset) { row in
            func invalid(_ reason: String) {
                invalidEvents.append(RuleRegistry.invalidEvent.finding(for: HistoryEvent(row: row), reason: reason))
            }
            guard row.bytes(C.occurredAt).flatMap(Timestamp.parse) != nil else {
                invalid(Replay.Reason.badTime(row.text(C.occurredAt)))
                return true
            }
            try FastState.check(row.bytes(C.accountID))
            try FastState.check(row.bytes(C.level))
            try FastState.check(row.bytes(C.scopeOrgID))
            try FastState.check(row.bytes(C.actor))
            try FastState.check(row.bytes(C.approvedBy))
            let action = row.bytes(C.action)
            if row.int64(C.log) == 0 {
                if !(matches(action, "create") || matches(action, "move") || matches(action, "status")) {
                    invalid(Replay.Reason.unknownAccountAction(row.text(C.action)))
                }
                return true
            }
            guard row.storageClass(C.grantID) == .integer else {
                throw FastAudit.Unsupported(why: "grant_events has a grant_id that is not an integer")
            }
            let id = row.int64(C.grantID)
            let grantID = GrantID.integer(id)
            if matches(action, "grant") {
                guard replayed.get(id) == nil else {
                    invalid(Replay.Reason.exists(grantID))
                    return true
                }
                replayed.set(
                    id,
                    CompactReplay.Grant(
                        account: accountValue(row.bytes(C.accountID)), level: valueID(row.bytes(C.level)),
                        scope: valueID(row.bytes(C.scopeOrgID)), grantedBy: valueID(row.bytes(C.actor)),
                        approvedBy: valueID(row.bytes(C.approvedBy))))
            } else if matches(action, "change") {
                guard var grant = replayed.get(id) else {
                    invalid(Replay.Reason.missing("change", grantID))
                    return true
                }
                guard grant.account == accountValue(row.bytes(C.accountID)) else {
                    invalid(Replay.Reason.otherAccount(grantID, event: row.text(C.accountID), holder: accountText(grant.account)))
                    return true
                }
                grant.level = valueID(row.bytes(C.level))
                grant.scope = valueID(row.bytes(C.scopeOrgID))
                grant.approvedBy = valueID(row.bytes(C.approvedBy))
                replayed.set(id, grant)
            } else if matches(action, "revoke") {
                guard replayed.take(id) != nil else {
                    invalid(Replay.Reason.missing("revoke", grantID))
                    return true
                }
            } else {
                invalid(Replay.Reason.unknownGrantAction(row.text(C.action)))
            }
            return true
        }
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
    /// is the row's account when it exists in `accounts`.
    @inline(__always)
    func sameAccount(_ logged: Int32, _ bytes: UnsafeBufferPointer<UInt8>?, account: Int32?) -> Bool {
        let logBlank: Bool
        if logged == CompactReplay.null {
            logBlank = true
        } else if logged >= FastState.foreign {
            logBlank = valueIsBlank[Int(logged - FastState.foreign)]
        } else {
            logBlank = accounts.withBytes(logged) { Blank.isBlank(bytes: $0) }
        }
        if Blank.isBlank(bytes: bytes) { return logBlank }
        guard !logBlank else { return false }
        if let account { return logged == account }
        guard logged >= FastState.foreign, let bytes, let other = values.lookup(bytes) else { return false }
        return other == logged - FastState.foreign
    }

    /// The replayed grant as a row, for the `history-mismatch` finding.
    func materialize(_ id: Int64, _ grant: CompactReplay.Grant) -> GrantRow {
        GrantRow(
            grantID: .integer(id), accountID: accountText(grant.account), level: valueText(grant.level),
            scopeOrgID: valueText(grant.scope), grantedAt: nil, grantedBy: valueText(grant.grantedBy),
            approvedBy: valueText(grant.approvedBy))
    }
}
