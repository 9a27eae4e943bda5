/// One person who granted, changed or approved grants in the window, and what their allocations did.
public struct ActorSummary: Sendable, Hashable {
    /// The name as first written (trimmed); spellings that are the same person (§2) count together.
    public var actor: String
    /// Grants and changes they made (the event's `actor`; `granted_by` without a log).
    public var granted = 0
    /// Grants and changes they approved.
    public var approved = 0
    /// Per state rule (CONTRACT.md §4 `exposure`, all five), how many of those broke it right after.
    public var breaking: [String: Int] = Dictionary(uniqueKeysWithValues: Exposure.rules.map { ($0, 0) })
    /// Allocations they made and approved themselves.
    public var selfApproved = 0
    /// Allocations they made without the approval their organisation type requires.
    public var missingApproval = 0
    /// Allocations they made or approved that broke a rule of policy (every state rule but
    /// `above-default-level`, which is within policy), and the first and last of them.
    public var outOfPolicy = 0
    public var firstBreach: Timestamp?
    public var lastBreach: Timestamp?
}

/// The result of `actors`.
public struct ActorsReport: Sendable {
    public var database: String
    public var from: Timestamp?
    public var to: Timestamp?
    /// `grant_events`, or `grants` when there is no grant log.
    public var source: String
    /// Most out-of-policy allocations first, then by name.
    public var actors: [ActorSummary]
}
