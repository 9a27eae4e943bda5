/// The replay of `grant_events` the fast engine keeps for `history-mismatch`: per live grant
/// five interned ids (20 bytes), in a dense array for the usual small integer grant ids.
struct CompactReplay {
    /// One live grant: exact interned values (`CompactReplay.null` for NULL).
    struct Grant {
        var account: Int32
        var level: Int32
        var scope: Int32
        var grantedBy: Int32
        var approvedBy: Int32
        var expires: Int32 = CompactReplay.null
        /// The event_id of the `grant` event (its occurred_at is the grant's granted_at).
        var created: Int64 = 0
    }

    static let null: Int32 = -1
    private static let absent = Grant(account: .min, level: 0, scope: 0, grantedBy: 0, approvedBy: 0)

    private var dense: [Grant] = []
    private var sparse: [Int64: Grant] = [:]

    /// The live grant `id`, if any.
    func get(_ id: Int64) -> Grant? {
        if id >= 0, id < dense.count, dense[Int(id)].account != .min { return dense[Int(id)] }
        return sparse.isEmpty ? nil : sparse[id]
    }

    /// Sets (or with nil removes) grant `id`. An id lives in one place: the dense array when it is
    /// near the ids already there, else the sparse dictionary.
    mutating func set(_ id: Int64, _ grant: Grant?) {
        if id >= 0, id < max(1 << 20, Int64(dense.count) * 2) {
            if id >= dense.count {
                guard grant != nil else { return }
                dense.append(contentsOf: repeatElement(CompactReplay.absent, count: Int(id) + 1 - dense.count))
            }
            dense[Int(id)] = grant ?? CompactReplay.absent
            if !sparse.isEmpty { sparse[id] = nil }
        } else {
            sparse[id] = grant
        }
    }

    /// Removes and returns the live grant `id`.
    mutating func take(_ id: Int64) -> Grant? {
        guard let grant = get(id) else { return nil }
        set(id, nil)
        return grant
    }

    /// Calls `body` with every live grant in id order, without copying them out.
    func forEach(_ body: (Int64, Grant) throws -> Void) rethrows {
        let ordered = sparse.sorted { $0.key < $1.key }
        for (id, grant) in ordered where id < 0 { try body(id, grant) }
        for (index, grant) in dense.enumerated() where grant.account != .min { try body(Int64(index), grant) }
        for (id, grant) in ordered where id >= 0 { try body(id, grant) }
    }

    /// Every live grant left, in id order.
    func remaining() -> [(Int64, Grant)] {
        var out: [(Int64, Grant)] = []
        for (index, grant) in dense.enumerated() where grant.account != .min { out.append((Int64(index), grant)) }
        out.append(contentsOf: sparse.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        return out.sorted { $0.0 < $1.0 }
    }
}
