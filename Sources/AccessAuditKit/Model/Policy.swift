/// The effective, valid policy for one organisation type.
package struct Policy: Sendable, Hashable {
    package var orgType: String
    package var defaultLevel: String
    package var defaultRank: Int64
    package var maxLevel: String
    package var maxRank: Int64
    package var requiresApproval: Bool
}

extension Policy {
    /// Resolves the valid policy rows of one org type into one policy.
    ///
    /// The contract has one row per type; a database without constraints may have several. The
    /// tool then takes the strictest reading of them all (lowest maximum, lowest default, approval
    /// required if any row requires it), the reading an auditor would want, and documents it.
    static func strictest(of rows: [Policy]) -> Policy? {
        guard var result = rows.first else { return nil }
        for row in rows.dropFirst() {
            if row.maxRank < result.maxRank {
                result.maxRank = row.maxRank
                result.maxLevel = row.maxLevel
            }
            if row.defaultRank < result.defaultRank {
                result.defaultRank = row.defaultRank
                result.defaultLevel = row.defaultLevel
            }
            result.requiresApproval = result.requiresApproval || row.requiresApproval
        }
        return result
    }
}
