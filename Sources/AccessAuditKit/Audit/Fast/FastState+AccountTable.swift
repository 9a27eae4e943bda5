extension FastState {
    /// What the fast engine keeps per account, packed (`MemoryLayout<Account>.stride` is 48 bytes;
    /// the twelve parallel arrays it replaces took 47): presence is a bit in `flags`, never a
    /// sentinel value, since every Int64 is a grant_id.
    struct Account {
        /// The account's first grant in grant_id order (`duplicate`), when `hasFirstGrant`.
        var firstGrant: Int64 = 0
        /// The fingerprint of the account's first row (`rowPrint`), 0 for an id the table lacks:
        /// the second pass takes the rows by id and checks them against it.
        var rowPrint: UInt64 = 0
        /// The interned organisation id text (existing or not), -1 for NULL.
        var org: Int32 = -1
        /// A replayed status (a `values` id, -1 NULL), or `statusFromTable`.
        var status: Int32 = FastState.statusFromTable
        /// Where the username's bytes are in the table's `usernames`; length -1 for NULL.
        var usernameStart: Int32 = 0
        var usernameLength: Int32 = -1
        /// How many auditable grants the account holds.
        var auditable: Int32 = 0
        /// The first grant's interned level and scope, when `hasFirstGrant`.
        var firstLevel: Int32 = 0
        var firstScope: Int32 = -1
        /// `Flag` bits.
        var flags: UInt8 = Flag.active

        /// The bits of `flags`. The first three are the account rules' facts (`AccountFlags`).
        enum Flag {
            /// Active status.
            static let active: UInt8 = 1
            /// Last activity before the dormant cut-off.
            static let dormant: UInt8 = 2
            /// An invalid created_at or last_login_at.
            static let badTimestamp: UInt8 = 4
            /// The facts of the account rules (what `AccountFlags` reads).
            static let facts: UInt8 = active | dormant | badTimestamp
            /// In the accounts table, or created by an account event.
            static let exists: UInt8 = 8
            /// A finding needs the account's row.
            static let needed: UInt8 = 16
            /// `firstGrant`, `firstLevel` and `firstScope` are set.
            static let hasFirstGrant: UInt8 = 32
            /// The account has live grants (`AccountTable.live`, exposure only).
            static let hasLive: UInt8 = 64
        }

        /// An account only history names (or none yet): not existing, active, NULL username.
        static let missing = Account()

        @inline(__always) func has(_ flag: UInt8) -> Bool { flags & flag != 0 }

        @inline(__always) mutating func set(_ flag: UInt8, _ on: Bool = true) {
            flags = on ? flags | flag : flags & ~flag
        }

        /// A status an account event set: of the account rules' facts only its activity is kept
        /// (the others are the accounts table's, and only the current state reads them).
        @inline(__always) mutating func replayStatus(_ status: Int32, active: Bool) {
            self.status = status
            flags = flags & ~Flag.facts | (active ? Flag.active : 0)
        }

        var exists: Bool { has(Flag.exists) }
        var needed: Bool { has(Flag.needed) }
    }

    /// The first and last of an account's live grants (exposure only; present when the account's
    /// `hasLive` bit is set), the grants in between linked through `CompactReplay`'s links.
    struct LiveEnds {
        var first: Int64
        var last: Int64
    }

    /// The replay-changed part of every account (`AccountTable.snapshot`), to start over from.
    struct AccountsSnapshot {
        fileprivate struct Replayable {
            let org: Int32
            let status: Int32
            let flags: UInt8
        }

        fileprivate let rows: [Replayable]
    }

    /// Every account's state, by interned account index: one `append`, one `truncate`, one
    /// `snapshot` (and `restore`). Reading an index the table has no row for gives
    /// `Account.missing`, writing one adds the rows up to it: an id only history names needs no
    /// row until something is written about it, and no index traps.
    struct AccountTable {
        private var rows: [Account] = []
        /// Every username's bytes, end to end.
        private var usernames: [UInt8] = []
        /// Per account index, its live grants' ends (valid where `hasLive`); grown on demand.
        private var live: [LiveEnds] = []

        /// How many accounts have a row (at most the interned ids).
        var count: Int { rows.count }

        /// Room for `count` accounts.
        mutating func reserve(_ count: Int) {
            rows.reserveCapacity(count)
        }

        /// Adds an account at the next index, its username bytes copied.
        mutating func append(_ account: Account, username: UnsafeBufferPointer<UInt8>?) {
            var account = account
            account.usernameStart = Int32(usernames.count)
            account.usernameLength = username.map { Int32($0.count) } ?? -1
            if let username { usernames.append(contentsOf: username) }
            rows.append(account)
        }

        /// Drops the rows from index `count` on (their indexes read as `Account.missing` again);
        /// the usernames' bytes stay (an aborted pass adds none).
        mutating func truncate(to count: Int) {
            if rows.count > count { rows.removeSubrange(count...) }
        }

        /// The organisation, status and flags of every account with a row: what a replay changes.
        func snapshot() -> AccountsSnapshot {
            AccountsSnapshot(rows: rows.map { .init(org: $0.org, status: $0.status, flags: $0.flags) })
        }

        /// The accounts as `snapshot` saw them: rows added since are dropped, no live grants.
        mutating func restore(_ snapshot: AccountsSnapshot) {
            truncate(to: snapshot.rows.count)
            for (index, saved) in snapshot.rows.enumerated() {
                rows[index].org = saved.org
                rows[index].status = saved.status
                rows[index].flags = saved.flags & ~Account.Flag.hasLive
            }
            live = []
        }

        /// The account at `index` (`Account.missing` when it has no row).
        @inline(__always)
        subscript(index: Int32) -> Account {
            let index = Int(index)
            return index >= 0 && index < rows.count ? rows[index] : .missing
        }

        /// Changes the account at `index` in place, adding rows up to it first.
        @inline(__always)
        mutating func update<T>(_ index: Int32, _ change: (inout Account) -> T) -> T {
            let index = Int(index)
            if index >= rows.count { rows.append(contentsOf: repeatElement(.missing, count: index + 1 - rows.count)) }
            return change(&rows[index])
        }

        /// How many accounts exist.
        var existing: Int { rows.count { $0.exists } }

        /// Every account with a row, with its index.
        func forEach(_ body: (Int32, Account) throws -> Void) rethrows {
            for index in rows.indices { try body(Int32(index), rows[index]) }
        }

        /// Calls `body` with the account's username bytes (nil for NULL or no row).
        @inline(__always)
        func withUsername<T>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
            let account = self[index]
            let length = Int(account.usernameLength)
            guard length >= 0 else { return body(nil) }
            let start = Int(account.usernameStart)
            return usernames.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<start + length])) }
        }

        /// The ends of the account's live grants, nil when it has none.
        @inline(__always)
        func liveEnds(_ index: Int32) -> LiveEnds? {
            self[index].has(Account.Flag.hasLive) ? live[Int(index)] : nil
        }

        /// Sets (nil: clears) the ends of the account's live grants.
        mutating func setLiveEnds(_ index: Int32, _ ends: LiveEnds?) {
            if let ends {
                let slot = Int(index)
                // Sized for every account at once (exposure sets most): no copy while it grows.
                if live.isEmpty { live.reserveCapacity(Swift.max(slot + 1, rows.capacity)) }
                if slot >= live.count { live.append(contentsOf: repeatElement(LiveEnds(first: 0, last: 0), count: slot + 1 - live.count)) }
                live[slot] = ends
            }
            update(index) { $0.set(Account.Flag.hasLive, ends != nil) }
        }

        /// Forgets every account's live grants.
        mutating func clearLive() {
            guard !live.isEmpty else { return }
            for index in rows.indices { rows[index].set(Account.Flag.hasLive, false) }
            live = []
        }
    }
}
