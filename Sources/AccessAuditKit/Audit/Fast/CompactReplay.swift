/// The replay of `grant_events` the fast engine keeps: per live grant five interned ids (20 bytes)
/// in a dense array indexed by the usual small integer grant ids, plus, only for `replay` and
/// `exposure` (`keepsDetail`), the expiry and creating event in a parallel array. `audit` needs
/// neither, and at a million grants the difference is tens of megabytes.
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

    private struct Core {
        var account: Int32, level: Int32, scope: Int32, grantedBy: Int32, approvedBy: Int32
    }

    private struct Detail {
        var expires: Int32
        var created: Int64
    }

    static let null: Int32 = -1
    private static let absent = Core(account: .min, level: 0, scope: 0, grantedBy: 0, approvedBy: 0)
    private static let noDetail = Detail(expires: CompactReplay.null, created: 0)

    let keepsDetail: Bool
    private var dense: [Core] = []
    private var detail: [Detail] = []
    private var sparse: [Int64: Grant] = [:]

    /// Per live grant, its neighbours in its account's list of live grants (`exposure` only, see
    /// `FastState.LiveLists`): beside the dense array, or by id for the sparse ones. nil is no
    /// neighbour; stored, it is the grant's own id (never its neighbour), since every Int64 is a
    /// grant_id that can be one.
    struct Link {
        var previous: Int64?
        var next: Int64?
    }

    private struct StoredLink {
        var previous: Int64
        var next: Int64

        init(_ link: Link, of id: Int64) {
            previous = link.previous ?? id
            next = link.next ?? id
        }

        func link(of id: Int64) -> Link {
            Link(previous: previous == id ? nil : previous, next: next == id ? nil : next)
        }
    }

    let keepsLinks: Bool
    private var links: [StoredLink] = []
    private var sparseLinks: [Int64: StoredLink] = [:]

    init(keepsDetail: Bool = false, keepsLinks: Bool = false) {
        self.keepsDetail = keepsDetail
        self.keepsLinks = keepsLinks
    }

    /// Where a live grant's link is: its dense index, or nil for a sparse id.
    @inline(__always)
    private func denseIndex(_ id: Int64) -> Int? {
        id >= 0 && id < dense.count && dense[Int(id)].account != .min ? Int(id) : nil
    }

    /// The link of live grant `id`.
    func link(_ id: Int64) -> Link {
        if let index = denseIndex(id) { return links[index].link(of: id) }
        return sparseLinks[id]?.link(of: id) ?? Link()
    }

    /// Sets the link of live grant `id` (set the grant first).
    mutating func setLink(_ id: Int64, _ link: Link) {
        if let index = denseIndex(id) {
            links[index] = StoredLink(link, of: id)
        } else {
            sparseLinks[id] = StoredLink(link, of: id)
        }
    }

    private func grant(at index: Int) -> Grant {
        let core = dense[index]
        let extra = keepsDetail ? detail[index] : CompactReplay.noDetail
        return Grant(
            account: core.account, level: core.level, scope: core.scope, grantedBy: core.grantedBy,
            approvedBy: core.approvedBy, expires: extra.expires, created: extra.created)
    }

    /// The live grant `id`, if any.
    func get(_ id: Int64) -> Grant? {
        if id >= 0, id < dense.count, dense[Int(id)].account != .min { return grant(at: Int(id)) }
        return sparse.isEmpty ? nil : sparse[id]
    }

    /// Sets (or with nil removes) grant `id`. An id lives in one place: the dense array when it is
    /// near the ids already there, else the sparse dictionary.
    mutating func set(_ id: Int64, _ grant: Grant?) {
        if id >= 0, id < max(1 << 20, Int64(dense.count) * 2) {
            if id >= dense.count {
                guard grant != nil else { return }
                let grow = Int(id) + 1 - dense.count
                dense.append(contentsOf: repeatElement(CompactReplay.absent, count: grow))
                if keepsDetail { detail.append(contentsOf: repeatElement(CompactReplay.noDetail, count: grow)) }
                if keepsLinks { links.append(contentsOf: repeatElement(StoredLink(Link(), of: 0), count: grow)) }
            }
            let index = Int(id)
            if let grant {
                dense[index] = Core(
                    account: grant.account, level: grant.level, scope: grant.scope, grantedBy: grant.grantedBy,
                    approvedBy: grant.approvedBy)
                if keepsDetail { detail[index] = Detail(expires: grant.expires, created: grant.created) }
            } else {
                dense[index] = CompactReplay.absent
            }
            if !sparse.isEmpty { sparse[id] = nil }
            // A grant that lived in `sparse` (the dense array has since grown past it) brings its link.
            if !sparseLinks.isEmpty, let moved = sparseLinks.removeValue(forKey: id), grant != nil { links[index] = moved }
        } else {
            sparse[id] = grant
            if grant == nil, !sparseLinks.isEmpty { sparseLinks[id] = nil }
        }
    }

    /// Removes and returns the live grant `id`.
    mutating func take(_ id: Int64) -> Grant? {
        guard let grant = get(id) else { return nil }
        set(id, nil)
        return grant
    }

    /// Calls `body` with every live grant in id order, without copying them out: the sparse ids
    /// (negative, huge, or below the dense array's end after it grew past them) merged into the dense.
    func forEach(_ body: (Int64, Grant) throws -> Void) rethrows {
        let ordered = sparse.sorted { $0.key < $1.key }
        var next = ordered.startIndex
        for index in dense.indices where dense[index].account != .min {
            while next < ordered.endIndex, ordered[next].key < Int64(index) {
                try body(ordered[next].key, ordered[next].value)
                next += 1
            }
            try body(Int64(index), grant(at: index))
        }
        for (id, grant) in ordered[next...] { try body(id, grant) }
    }

    /// Every live grant left, in id order.
    func remaining() -> [(Int64, Grant)] {
        var out: [(Int64, Grant)] = []
        forEach { out.append(($0, $1)) }
        return out
    }
}
