extension FastState {
    /// The pass over `grants` in grant_id order: the rules' facts from integers and bytes, their
    /// conditions (`StateRule`); the rows for which one holds are kept (as Strings) for the rule types.
    func scanGrants(_ connection: Connection, compareHistory: Bool) throws {
        let statement = try connection.prepare(FastState.grantsSQL(connection))
        let now = options.now
        var reported = Set<Int64>()
        while let row = try statement.step() {
            grantRows += 1
            guard row.storageClass(0) == .integer else {
                throw FastAudit.Unsupported(why: "grants has a grant_id that is not an integer")
            }
            let id = row.int64(0)
            var candidate = true
            var duplicateOf: Int64?
            let accountBytes = row.bytes(1)
            try FastState.check(accountBytes)
            let account = accountBytes.flatMap { accounts.lookup($0) }
            if let account, let policyIndex = policyIndex(ofAccount: account),
                let level = row.bytes(2).flatMap({ levels.lookup($0) })
            {
                let org = perAccount.update(account) { state in
                    state.auditable += 1
                    return state.org
                }
                var scope: Int32 = -1
                if let bytes = row.bytes(3), !Blank.isBlank(bytes: bytes) {
                    try FastState.check(bytes)
                    scope = orgID(bytes)
                }
                let approver: ApproverFact
                if let bytes = row.bytes(6), !Blank.isBlank(bytes: bytes) {
                    approver = approverFact(bytes, grantor: Blank.samePerson(bytes: bytes, row.bytes(5)), account: account)
                } else {
                    approver = .blank
                }
                var expires = InstantFact.none
                if let bytes = row.bytes(7), !Blank.isBlank(bytes: bytes) {
                    expires = Timestamp.parse(bytes).map(InstantFact.valid) ?? .invalid
                }
                duplicateOf = duplicate(id, account: account, level: level, scope: scope)
                candidate = StateRule.anyHolds(
                    Facts(
                        rank: levelRank[Int(level)], policy: policies[Int(policyIndex)],
                        scope: scopeFact(scope, org: org), approver: approver, expires: expires,
                        grantedAtValid: row.bytes(4).flatMap(Timestamp.parse) != nil, isDuplicate: duplicateOf != nil,
                        now: now))
            }
            let (mismatch, logged) = compareHistory ? historyCheck(id, row, account: account, reported: &reported) : (false, nil)
            guard candidate || mismatch else { continue }
            if let account { markNeeded(account) }
            let grant = FastState.grantRow(id, row)
            if candidate { candidates.append((grant, duplicateOf.map { .integer($0) })) }
            if mismatch { historyPairs.append((grant, logged.map { materialize(id, $0) })) }
        }
        if compareHistory {
            for (id, grant) in replayed.remaining() where !reported.contains(id) {
                // The replayed account is an index into this state's accounts: no lookup by text,
                // which would miss an id that is not UTF-8.
                if grant.account != CompactReplay.null { markNeeded(grant.account) }
                historyPairs.append((nil, materialize(id, grant)))
            }
        }
    }

    /// The grants columns every pass reads, in this order, in grant_id order (rows with one
    /// grant_id in table order: `TableOrder`).
    static func grantsSQL(_ connection: Connection) throws -> String {
        "SELECT grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at FROM grants"
            + (try TableOrder.orderBy(connection, "grants", keys: [try TableOrder.idTerm(connection, "grants", "grant_id")], columns: 8))
    }

    /// A `grantsSQL` row as Strings, for the rule types.
    static func grantRow(_ id: Int64, _ row: Row) -> GrantRow {
        GrantRow(
            grantID: .integer(id), accountID: row.text(1), level: row.text(2), scopeOrgID: row.text(3),
            grantedAt: row.text(4), grantedBy: row.text(5), approvedBy: row.text(6), expiresAt: row.text(7))
    }

    /// `history-mismatch` for one grants row (`grantsSQL`) against the replay, taking the logged
    /// grant out of it: whether the row is a mismatch not yet reported (a repeated grant_id is
    /// reported once), and the logged grant. `account` is the row's account index, if known.
    @inline(__always)
    func historyCheck(
        _ id: Int64, _ row: Row, account: Int32?, reported: inout Set<Int64>
    ) -> (mismatch: Bool, logged: CompactReplay.Grant?) {
        let logged = replayed.take(id)
        var mismatch = true
        if let logged {
            mismatch = !(sameAccount(logged.account, row.bytes(1), account: account) && same(logged.level, row.bytes(2))
                && same(logged.scope, row.bytes(3)) && same(logged.grantedBy, row.bytes(5))
                && same(logged.approvedBy, row.bytes(6)))
        }
        return (mismatch && reported.insert(id).inserted, logged)
    }

    /// `history-mismatch` as a pass of its own over `grants`, for a state that holds only the
    /// replay (the audit's history thread): its `historyPairs`, with `historyPairAccounts` the
    /// account id bytes each pair's finding is about, for the main state to mark as needed.
    func compareHistoryPass(_ connection: Connection) throws {
        let statement = try connection.prepare(FastState.grantsSQL(connection))
        var reported = Set<Int64>()
        while let row = try statement.step() {
            guard row.storageClass(0) == .integer else {
                throw FastAudit.Unsupported(why: "grants has a grant_id that is not an integer")
            }
            let id = row.int64(0)
            let accountBytes = row.bytes(1)
            try FastState.check(accountBytes)
            let account = accountBytes.flatMap { accounts.lookup($0) }
            let (mismatch, logged) = historyCheck(id, row, account: account, reported: &reported)
            guard mismatch else { continue }
            historyPairs.append((FastState.grantRow(id, row), logged.map { materialize(id, $0) }))
            historyPairAccounts.append(accountBytes.map { Array($0) })
        }
        for (id, grant) in replayed.remaining() where !reported.contains(id) {
            historyPairs.append((nil, materialize(id, grant)))
            historyPairAccounts.append(grant.account == CompactReplay.null ? nil : accounts.withBytes(grant.account) { Array($0) })
        }
    }

    /// Takes the history findings of a state that ran `replay` and `compareHistoryPass`, marking
    /// the accounts they are about as needed.
    func adoptHistory(from history: FastState) {
        historyPairs += history.historyPairs
        invalidEvents += history.invalidEvents
        for bytes in history.historyPairAccounts {
            guard let bytes, let account = bytes.withUnsafeBufferPointer({ accounts.lookup($0) }) else { continue }
            markNeeded(account)
        }
    }

    /// Marks an existing account's row as needed by a finding (an account only history names has none).
    @inline(__always)
    func markNeeded(_ account: Int32) {
        if perAccount[account].exists { perAccount.update(account) { $0.set(Account.Flag.needed) } }
    }

    /// The lower id of an earlier grant (in grant_id order) with the same account, level and scope.
    /// An account's first grant is kept in its `Account`; only accounts with several grants use
    /// `seen`. A bit says whether there is one: every Int64, `.min` too, is a grant_id, so none can
    /// mean "no grant yet".
    func duplicate(_ id: Int64, account: Int32, level: Int32, scope: Int32) -> Int64? {
        let state = perAccount[account]
        guard state.has(Account.Flag.hasFirstGrant) else {
            perAccount.update(account) {
                $0.firstGrant = id
                $0.firstLevel = level
                $0.firstScope = scope
                $0.set(Account.Flag.hasFirstGrant)
            }
            return nil
        }
        let first = DuplicateKey(account: account, level: state.firstLevel, scope: state.firstScope)
        if seen[first] == nil { seen[first] = state.firstGrant }
        let key = DuplicateKey(account: account, level: level, scope: scope)
        guard let earlier = seen[key] else {
            seen[key] = id
            return nil
        }
        return earlier < id ? earlier : nil
    }

    /// The reference engine, fed only what can fire, with the counts the fast pass established.
    func finish(_ connection: Connection) throws -> AuditEngine {
        // What the scans needed and the findings do not: freed before the findings are made.
        seen = [:]
        replayed = CompactReplay()
        let engine = AuditEngine(reference: reference, options: options)
        let added = try addNeededAccounts(connection, to: engine)
        for candidate in candidates { engine.add(grant: candidate.grant, duplicateOf: candidate.duplicateOf) }
        candidates = []
        for index in added { engine.setAuditableGrants(Int(perAccount[index].auditable), account: accounts.string(index)) }
        for pair in historyPairs {
            let account = engine.account((pair.table ?? pair.replayed)?.accountID)
            if let finding = RuleRegistry.historyMismatch.finding(table: pair.table, replayed: pair.replayed, account: account) {
                engine.record(finding)
            }
        }
        for finding in invalidEvents { engine.record(finding) }
        return engine
    }
}
