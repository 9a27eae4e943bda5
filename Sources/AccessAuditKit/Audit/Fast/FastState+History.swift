extension FastState {
    /// Adds live grant `id` (just set in `replayed`) at the end of its account's list.
    func appendLive(_ id: Int64, account: Int32) {
        let ends = perAccount.liveEnds(account)
        replayed.setLink(id, CompactReplay.Link(previous: ends?.last, next: nil))
        if let last = ends?.last { updateLink(last) { $0.next = id } }
        perAccount.setLiveEnds(account, LiveEnds(first: ends?.first ?? id, last: id))
    }

    /// Changes the link of live grant `id` in place.
    private func updateLink(_ id: Int64, _ change: (inout CompactReplay.Link) -> Void) {
        var link = replayed.link(id)
        change(&link)
        replayed.setLink(id, link)
    }

    /// Unlinks live grant `id` (still in `replayed`) from its account's list.
    func removeLive(_ id: Int64, account: Int32) {
        guard let ends = perAccount.liveEnds(account) else { return }
        let link = replayed.link(id)
        if let previous = link.previous { updateLink(previous) { $0.next = link.next } }
        if let next = link.next { updateLink(next) { $0.previous = link.previous } }
        switch (link.previous, link.next) {
        case (nil, nil): perAccount.setLiveEnds(account, nil)
        case (nil, let next?): perAccount.setLiveEnds(account, LiveEnds(first: next, last: ends.last))
        case (let previous?, nil): perAccount.setLiveEnds(account, LiveEnds(first: ends.first, last: previous))
        case (_?, _?): break
        }
    }

    /// An account's live grants, in the order they were granted.
    func liveGrants(of account: Int32) -> [Int64] {
        var ids: [Int64] = []
        var id = perAccount.liveEnds(account)?.first
        while let current = id {
            ids.append(current)
            id = replayed.link(current).next
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
