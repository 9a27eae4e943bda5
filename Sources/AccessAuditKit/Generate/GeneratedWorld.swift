/// The model the generator builds before writing: organisations, accounts and grants as compact
/// arrays (ints, not strings), so a million accounts stay small and fast.
struct GeneratedWorld {
    /// Org types with their policy: (type, default level, max level, requires approval, share of accounts).
    static let types: [(type: String, defaultLevel: Int, maxLevel: Int, approval: Bool, share: Double)] = [
        ("provider", 0, 0, false, 0.62),
        ("commissioner", 0, 0, true, 0.22),
        ("cancer_alliance", 1, 1, true, 0.08),
        ("regional_team", 1, 2, true, 0.02),
        ("national_producer", 3, 3, true, 0.02),
        ("data_processor", 0, 3, true, 0.03),
        // Only in databases with problems: a type whose policy names a level that does not exist.
        ("legacy_partner", 0, -1, true, 0.01),
    ]
    static let levels: [(name: String, rank: Int64)] = [("organisation", 10), ("alliance", 20), ("regional", 25), ("national", 30)]
    static let legacy = 6

    struct Org {
        var type: Int
        var parent: Int32  // -1 none
    }

    struct Account {
        var org: Int32
        var initialOrg: Int32  // differs when the account moved
        var created: Int64
        var lastLogin: Int64  // Int64.min: NULL
        var status: UInt8  // 0 active, 1 disabled, 2 left
        var statusChanged: Int64
        var moved: Int64
        var badCreated: Bool
        var badLogin: Bool
    }

    struct Grant {
        var id: Int64
        var account: Int32  // -1: an account that does not exist
        var level: Int8  // -1: a level that does not exist
        var scope: Int32  // -1: none
        var grantedAt: Int64
        var grantedBy: UInt8
        var approver: Int16  // -1 NULL, -2 the grantor, -3 the holder's username (upper case)
        var expires: Int64  // Int64.min: NULL
        var badGrantedAt: Bool
        var badExpires: Bool
        /// History: 0 logged as is, 1 logged with an older level and approver then changed,
        /// 2 logged with another approver (a history mismatch), 3 not logged at all,
        /// 4 granted and later revoked (not in the grants table).
        var history: UInt8
        var revokedAt: Int64
        var changedAt: Int64
    }

    var orgs: [Org] = []
    var orgsOfType: [[Int32]] = []
    /// Remit: organisation → the organisations it covers.
    var covers: [Int32: [Int32]] = [:]
    var accounts: [Account] = []
    var grants: [Grant] = []
}
