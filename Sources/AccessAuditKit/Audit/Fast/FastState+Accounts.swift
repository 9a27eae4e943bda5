extension FastState {
    /// First pass over `accounts`: intern ids, keep the account rules' facts as integers and flags
    /// (`AccountFlags`).
    /// With `pipelined`, SQLite is stepped on a second thread.
    func loadAccounts(_ connection: Connection, pipelined: Bool = false) throws {
        var expected = 0
        try connection.prepare("SELECT count(*) FROM accounts").forEachRow { expected = Int($0.int64(0)) }
        accounts = ByteInterner(capacity: expected)
        // Room for the accounts only history names too (replay and exposure add them): capacity
        // never written is never resident, while growing past it copies the whole table, twice its
        // size in memory at that moment (massif showed exactly that in exposure).
        perAccount.reserve(expected + expected / 8 + 1_024)
        let statement = try connection.prepare(FastState.accountsSQL(connection))
        func load<R: RowValues>(_ row: R) throws {
            accountRows += 1
            let print = FastState.rowPrint(row)
            let (badTimestamp, activity) = FastState.timestampFacts(created: row.bytes(4), login: row.bytes(5))
            try FastState.check(row.bytes(0))
            guard let id = row.bytes(0) else {
                if badTimestamp { noteExtraRow(print) }
                return
            }
            let (index, isNew) = accounts.intern(id)
            guard isNew else {
                // A repeated id: grants resolve to the first row; this one is checked for timestamps.
                if badTimestamp {
                    noteExtraRow(print)
                    perAccount.update(index) { $0.set(Account.Flag.needed) }
                }
                return
            }
            var account = Account(rowPrint: print, org: row.bytes(2).map { orgID($0) } ?? -1, flags: Account.Flag.exists)
            account.set(Account.Flag.badTimestamp, badTimestamp)
            account.set(Account.Flag.active, Blank.isActiveStatus(bytes: row.bytes(3)))
            if let activity, activity < cutoff { account.set(Account.Flag.dormant) }
            perAccount.append(account, username: row.bytes(1))
        }
        if pipelined {
            try statement.forEachRowPipelined(columns: 6) { try load($0) }
        } else {
            while let row = try statement.step() { try load(row) }
        }
    }

    private func noteExtraRow(_ print: UInt64) {
        extraRows += 1
        extraPrint &+= print
    }

    /// Whether an accounts row's created_at or last_login_at is invalid, and its last activity.
    static func timestampFacts(
        created: UnsafeBufferPointer<UInt8>?, login: UnsafeBufferPointer<UInt8>?
    ) -> (bad: Bool, activity: Timestamp?) {
        let createdTime = created.flatMap(Timestamp.parse)
        let loginBlank = Blank.isBlank(bytes: login)
        let loginTime = loginBlank ? nil : login.flatMap(Timestamp.parse)
        return (createdTime == nil || (!loginBlank && loginTime == nil), loginBlank ? createdTime : loginTime)
    }

    /// Both passes over `accounts`: one statement, so SQLite takes one plan (a covering index of the
    /// first six columns would otherwise answer the first pass in index order, the second in rowid
    /// order); the first pass does not read display_name. Rows in table order (`TableOrder`): the
    /// first row of a repeated id is the one grants resolve to.
    static func accountsSQL(_ connection: Connection) throws -> String {
        "SELECT account_id, username, org_id, status, created_at, last_login_at, display_name FROM accounts"
            + (try TableOrder.orderBy(connection, "accounts", columns: 7))
    }

    /// A fingerprint of an `accountsSQL` row's first six columns (their bytes, or NULL: what every
    /// fact is made of; a storage class read after the bytes is not reliable), never 0 (`rowPrint`'s
    /// "no row"): the second pass pairs rows by account id and checks they match.
    static func rowPrint<R: RowValues>(_ row: R) -> UInt64 {
        var hasher = Hasher()
        for column: Int32 in 0..<6 {
            if let bytes = row.bytes(column) {
                hasher.combine(bytes.count)
                hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            } else {
                hasher.combine(-1)
            }
        }
        return UInt64(bitPattern: Int64(hasher.finalize())) | 1
    }

    /// The replayed organisation and status of an account.
    private func replayedState(_ index: Int32, into account: inout AccountRow) {
        let state = perAccount[index]
        account.orgID = state.org >= 0 ? orgs.string(state.org) : nil
        if state.status != FastState.statusFromTable { account.status = valueText(state.status) }
    }

    /// Second pass over `accounts`: the rows of the accounts a finding needs, in table order.
    /// Returns the account indexes added. With `replayed`, accounts carry their replayed organisation
    /// and status, rows with a NULL or repeated id are left out (a replayed state has none), and
    /// accounts only history names are added too.
    func addNeededAccounts(_ connection: Connection, to engine: AuditEngine, replayed: Bool = false) throws -> [Int32] {
        let current = options.mode == .current
        var added: [Int32] = []
        for index in 0..<Int32(perAccount.count) {
            let account = perAccount[index]
            var needed = account.needed
            if !needed, AccountStateRule.anyHolds(AccountFlags(account, current: current)) {
                needed = true
                perAccount.update(index) { $0.set(Account.Flag.needed) }
            }
            if needed, account.rowPrint != 0 { added.append(index) }
        }
        // Rows are paired with the first pass by account id (SQLite may answer the two selects in
        // different orders: a covering index, a view), and must be the rows the first pass saw.
        func differ(_ why: String) -> AuditError { .readDifferently(table: "accounts", why: why) }
        let statement = try connection.prepare(FastState.accountsSQL(connection))
        var found = [Bool](repeating: false, count: accounts.count)
        var rows = 0, extra = 0, extraSum: UInt64 = 0
        // In the usual case SQLite answers in the first pass's order, so the id is first compared
        // with the account after the last one found (the same answer as a lookup, without hashing).
        var guess: Int32 = 0
        while let row = try statement.step() {
            rows += 1
            let index = row.bytes(0).flatMap { id -> Int32? in
                if guess < accounts.count, accounts.withBytes(guess, { Blank.equal(bytes: $0, id) }) {
                    guess += 1
                    return guess - 1
                }
                let found = accounts.lookup(id)
                if let found { guess = found + 1 }
                return found
            }
            if let index, !found[Int(index)] {
                let first = perAccount[index]
                guard first.rowPrint != 0 else { throw differ("account \(accounts.string(index)) is new") }
                found[Int(index)] = true
                guard first.needed else { continue }
                guard FastState.rowPrint(row) == first.rowPrint else {
                    throw differ("account \(accounts.string(index)) has another first row")
                }
            } else {
                if index == nil, let id = row.bytes(0) { throw differ("account \(DBText.decode(id)) is new") }
                // A row with a NULL or repeated id: only one with a bad timestamp is taken.
                guard !replayed, FastState.timestampFacts(created: row.bytes(4), login: row.bytes(5)).bad else { continue }
                extra += 1
                extraSum &+= FastState.rowPrint(row)
            }
            var account = AccountRow(
                accountID: row.text(0), username: row.text(1), displayName: row.text(6), orgID: row.text(2),
                status: row.text(3), createdAt: row.text(4), lastLoginAt: row.text(5))
            if replayed, let index { replayedState(index, into: &account) }
            engine.add(account: account)
        }
        guard rows == accountRows else { throw differ("\(rows) rows, the first pass read \(accountRows)") }
        if let missing = added.first(where: { !found[Int($0)] }) { throw differ("account \(accounts.string(missing)) is missing") }
        if !replayed, extra != extraRows || extraSum != extraPrint {
            throw differ("the rows with a NULL or repeated account_id differ")
        }
        if replayed {
            perAccount.forEach { index, state in
                guard state.needed, state.rowPrint == 0, state.exists else { return }
                var account = AccountRow(accountID: accounts.string(index), username: nil, orgID: nil, status: nil, createdAt: nil)
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

        init(_ account: Account, current: Bool) {
            self.init(flags: account.flags, auditableGrants: Int(account.auditable), current: current)
        }

        init(flags: UInt8, auditableGrants: Int, current: Bool) {
            self.flags = flags
            self.auditableGrants = auditableGrants
            self.current = current
        }

        var active: Bool { flags & Account.Flag.active != 0 }
        var idleSinceCutoff: Bool { flags & Account.Flag.dormant != 0 }
        var badTimestamp: Bool { flags & Account.Flag.badTimestamp != 0 }
    }
}
