extension FastState {
    /// First pass over `accounts`: intern ids, keep the account rules' facts as integers and flags
    /// (`AccountFlags`).
    /// With `pipelined`, SQLite is stepped on a second thread.
    func loadAccounts(_ connection: Connection, pipelined: Bool = false) throws {
        var expected = 0
        try connection.prepare("SELECT count(*) FROM accounts").forEachRow { expected = Int($0.int64(0)) }
        accounts = ByteInterner(capacity: expected)
        if expected > 0 {
            accountExists.reserveCapacity(expected)
            accountStatus.reserveCapacity(expected)
            firstOrdinal.reserveCapacity(expected)
            accountOrg.reserveCapacity(expected)
            accountFlags.reserveCapacity(expected)
            usernameStart.reserveCapacity(expected)
            usernameLength.reserveCapacity(expected)
            auditable.reserveCapacity(expected)
            firstLevel.reserveCapacity(expected)
            firstScope.reserveCapacity(expected)
            firstGrant.reserveCapacity(expected)
            needed.reserveCapacity(expected)
        }
        let sql = "SELECT account_id, username, org_id, status, created_at, last_login_at FROM accounts"
        let statement = try connection.prepare(sql)
        var ordinal = 0
        func load<R: RowValues>(_ row: R) throws {
            defer { ordinal += 1 }
            let created = row.bytes(4)
            let login = row.bytes(5)
            let createdTime = created.flatMap(Timestamp.parse)
            let loginBlank = Blank.isBlank(bytes: login)
            let loginTime = loginBlank ? nil : login.flatMap(Timestamp.parse)
            let badTimestamp = createdTime == nil || (!loginBlank && loginTime == nil)
            try FastState.check(row.bytes(0))
            guard let id = row.bytes(0) else {
                if badTimestamp { extraRows.insert(ordinal) }
                return
            }
            let (index, isNew) = accounts.intern(id)
            guard isNew else {
                // A repeated id: grants resolve to the first row; this one is checked for timestamps.
                if badTimestamp {
                    extraRows.insert(ordinal)
                    needed[Int(index)] = true
                }
                return
            }
            var flags: UInt8 = badTimestamp ? FastState.badTimestamp : 0
            let active = Blank.isActiveStatus(bytes: row.bytes(3))
            if active { flags |= FastState.active }
            let activity = loginBlank ? createdTime : loginTime
            if let activity, activity < cutoff { flags |= FastState.dormant }
            appendAccount(
                exists: true, org: row.bytes(2).map { orgID($0) } ?? -1, flags: flags, username: row.bytes(1),
                ordinal: Int32(ordinal))
        }
        if pipelined {
            try statement.forEachRowPipelined(columns: 6) { try load($0) }
        } else {
            while let row = try statement.step() { try load(row) }
        }
        accountRows = ordinal
    }

    /// The replayed organisation and status of an account.
    private func replayedState(_ index: Int, into account: inout AccountRow) {
        account.orgID = accountOrg[index] >= 0 ? orgs.string(accountOrg[index]) : nil
        if accountStatus[index] != FastState.statusFromTable { account.status = valueText(accountStatus[index]) }
    }

    /// Calls `body` with the account's username bytes (nil for NULL).
    @inline(__always)
    func withUsername<T>(_ account: Int32, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        let length = Int(usernameLength[Int(account)])
        guard length >= 0 else { return body(nil) }
        let start = Int(usernameStart[Int(account)])
        return usernames.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<start + length])) }
    }

    /// Second pass over `accounts`: the rows of the accounts a finding needs, in table order.
    /// Returns the account indexes added. With `replayed`, accounts carry their replayed organisation
    /// and status, rows with a NULL or repeated id are left out (a replayed state has none), and
    /// accounts only history names are added too.
    func addNeededAccounts(_ connection: Connection, to engine: AuditEngine, replayed: Bool = false) throws -> [Int] {
        if replayed { extraRows = [] }
        let current = options.mode == .current
        for (index, flags) in accountFlags.enumerated() where !needed[index] {
            if AccountStateRule.anyHolds(AccountFlags(flags: flags, auditableGrants: Int(auditable[index]), current: current)) {
                needed[index] = true
            }
        }
        // The rows to take, by ordinal: the first row of each needed account, and the extra rows.
        var wanted = Set(extraRows)
        var added: [Int] = []
        for (index, isNeeded) in needed.enumerated() where isNeeded && firstOrdinal[index] >= 0 {
            wanted.insert(Int(firstOrdinal[index]))
            added.append(index)
        }
        let sql = "SELECT account_id, username, display_name, org_id, status, created_at, last_login_at FROM accounts"
        let statement = try connection.prepare(sql)
        var ordinal = 0
        while let row = try statement.step() {
            defer { ordinal += 1 }
            guard wanted.contains(ordinal) else { continue }
            var account = AccountRow(
                accountID: row.text(0), username: row.text(1), displayName: row.text(2), orgID: row.text(3),
                status: row.text(4), createdAt: row.text(5), lastLoginAt: row.text(6))
            if replayed, let id = row.bytes(0), let index = accounts.lookup(id) { replayedState(Int(index), into: &account) }
            engine.add(account: account)
        }
        if replayed {
            for (index, isNeeded) in needed.enumerated() where isNeeded && firstOrdinal[index] < 0 && accountExists[index] {
                var account = AccountRow(
                    accountID: accounts.string(Int32(index)), username: nil, orgID: nil, status: nil, createdAt: nil)
                replayedState(index, into: &account)
                engine.add(account: account)
                added.append(index)
            }
        }
        return added
    }
}

extension FastState {
    /// The account rules' facts from an account's flags (`loadAccounts`, replayed statuses).
    struct AccountFlags: AccountFactsView {
        let flags: UInt8
        let auditableGrants: Int
        let current: Bool

        var active: Bool { flags & FastState.active != 0 }
        var idleSinceCutoff: Bool { flags & FastState.dormant != 0 }
        var badTimestamp: Bool { flags & FastState.badTimestamp != 0 }
    }
}
