/// The valid access levels and their ranks, from `access_levels`.
///
/// A level is valid only when its `rank` is stored as an integer. When a level name appears in
/// several rows, the first valid row (in the order SQLite returns them) defines it. Names compare
/// byte for byte (`ExactText`).
package struct LevelTable: Sendable {
    package private(set) var ranks: [ExactText: Int64] = [:]

    package init() {}

    package init(_ pairs: [(String, Int64)]) {
        for (name, rank) in pairs { add(name, rank: rank) }
    }

    package mutating func add(_ name: String, rank: Int64) {
        if ranks[ExactText(name)] == nil { ranks[ExactText(name)] = rank }
    }

    /// The rank of a valid level, nil for NULL or an unknown or invalid level.
    package func rank(_ level: String?) -> Int64? {
        guard let level else { return nil }
        return ranks[ExactText(level)]
    }
}
