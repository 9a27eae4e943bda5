/// The valid access levels and their ranks, from `access_levels`.
///
/// A level is valid only when its `rank` is stored as an integer. When a level name appears in
/// several rows, the first valid row (in the order SQLite returns them) defines it. Names compare
/// byte for byte (`ExactText`).
public struct LevelTable: Sendable {
    public private(set) var ranks: [ExactText: Int64] = [:]

    public init() {}

    public init(_ pairs: [(String, Int64)]) {
        for (name, rank) in pairs { add(name, rank: rank) }
    }

    public mutating func add(_ name: String, rank: Int64) {
        if ranks[ExactText(name)] == nil { ranks[ExactText(name)] = rank }
    }

    /// The rank of a valid level, nil for NULL or an unknown or invalid level.
    public func rank(_ level: String?) -> Int64? {
        guard let level else { return nil }
        return ranks[ExactText(level)]
    }
}
