/// Compares the grants table, row by row as it streams, with the final state of the replayed
/// grant_events log, for `history-mismatch` (one finding per grant_id).
///
/// Memory is the replayed live grants, which shrink as table rows match them.
struct HistoryComparison {
    private var remaining: [GrantID: GrantRow]
    private var reported: Set<GrantID> = []
    private let rule = RuleRegistry.historyMismatch

    init(replayed: [GrantID: GrantRow]) {
        remaining = replayed
    }

    /// Compares one grants row. A second row with an already matched id has no log entry left.
    mutating func compare(_ row: GrantRow, account: AccountRow?) -> Finding? {
        let replayed = remaining.removeValue(forKey: row.grantID)
        guard !reported.contains(row.grantID),
            let finding = rule.finding(table: row, replayed: replayed, account: account)
        else { return nil }
        reported.insert(row.grantID)
        return finding
    }

    /// Findings for the grants the log has and the table does not, in grant_id order.
    func leftovers(account: (String?) -> AccountRow?) -> [Finding] {
        remaining.keys.sorted().compactMap { id in
            guard !reported.contains(id), let replayed = remaining[id] else { return nil }
            return rule.finding(table: nil, replayed: replayed, account: account(replayed.accountID))
        }
    }
}
