/// The fast engine's working state.
// Every stored `var` is `@exclusivity(unchecked)`: the state is only ever touched by the thread
// that owns it (the history thread has its own FastState), and the dynamic checks cost ~7% of a
// national-scale audit. Per property rather than `-enforce-exclusivity=unchecked` for the whole
// module, so Package.swift has no unsafeFlags and AccessAuditKit can be a dependency.
final class FastState {
    let reference: ReferenceData
    let options: AuditOptions
    let cutoff: Timestamp

    // Organisations: interned ids (also every scope and remit id seen), which exist, their policy.
    @exclusivity(unchecked) var orgs = ByteInterner()
    @exclusivity(unchecked) var orgExists: [Bool] = []
    @exclusivity(unchecked) var orgPolicy: [Int32] = []
    @exclusivity(unchecked) var policies: [Policy] = []
    @exclusivity(unchecked) var remit = Set<UInt64>()
    // Valid levels: interned name → rank.
    @exclusivity(unchecked) var levels = ByteInterner(capacity: 16)
    @exclusivity(unchecked) var levelRank: [Int64] = []

    // Accounts: interned ids (the first row of each id), their state by index.
    @exclusivity(unchecked) var accounts = ByteInterner()
    @exclusivity(unchecked) var perAccount = AccountTable()
    /// The rows of `accounts` with a NULL or repeated id and a bad timestamp: how many, and the
    /// wrapping sum of their fingerprints.
    @exclusivity(unchecked) var extraRows = 0
    @exclusivity(unchecked) var extraPrint: UInt64 = 0
    @exclusivity(unchecked) var accountRows = 0

    // Grants.
    @exclusivity(unchecked) var seen: [DuplicateKey: Int64] = [:]
    @exclusivity(unchecked) var candidates: [(grant: GrantRow, duplicateOf: GrantID?)] = []
    @exclusivity(unchecked) var grantRows = 0

    // History.
    @exclusivity(unchecked) var values = ByteInterner()
    @exclusivity(unchecked) var valueIsBlank: [Bool] = []
    @exclusivity(unchecked) var replayed = CompactReplay()
    @exclusivity(unchecked) var historyPairs: [(table: GrantRow?, replayed: GrantRow?)] = []
    /// Per pair, the account id bytes it is about (only `compareHistoryPass` fills this).
    @exclusivity(unchecked) var historyPairAccounts: [[UInt8]?] = []
    @exclusivity(unchecked) var invalidEvents: [Finding] = []
    /// Per `values` id: its valid level (-1 none, -2 not yet looked up), its organisation id.
    @exclusivity(unchecked) var valueLevel: [Int32] = []
    @exclusivity(unchecked) var valueOrg: [Int32] = []

    static let statusFromTable: Int32 = -2

    struct DuplicateKey: Hashable {
        let account: Int32
        let level: Int32
        let scope: Int32
    }

    init(reference: ReferenceData, options: AuditOptions) {
        self.reference = reference
        self.options = options
        cutoff = options.dormantCutoff
        // Interned as the database's bytes (`DBText.bytes`: a String's UTF-8 differs for bytes
        // that are not UTF-8), keyed byte for byte (`ExactText`).
        for (name, rank) in reference.levels.ranks.sorted(by: { $0.key < $1.key }) {
            DBText.bytes(name.string).withUnsafeBufferPointer { _ = levels.intern($0) }
            levelRank.append(rank)
        }
        var policyIndex: [ExactText: Int32] = [:]
        for (type, policy) in reference.policies.sorted(by: { $0.key < $1.key }) {
            policyIndex[type] = Int32(policies.count)
            policies.append(policy)
        }
        for (id, org) in reference.organisations.sorted(by: { $0.key < $1.key }) {
            let index = orgID(id.string)
            orgExists[Int(index)] = true
            orgPolicy[Int(index)] = ExactText(org.orgType).flatMap { policyIndex[$0] } ?? -1
        }
        for (org, covered) in reference.remit {
            let a = orgID(org.string)
            for other in covered { remit.insert(UInt64(UInt32(a)) << 32 | UInt64(UInt32(orgID(other.string)))) }
        }
    }

    /// Frees every table of the state once the engine holds what the findings need (the
    /// candidates, the needed accounts' rows): the accounts' and values' interners and state, the
    /// live grants, the duplicate table. Only the row counts stay. At national scale these are
    /// about 100 MB that would otherwise sit beside the findings while they are made and sorted.
    func releaseTables() {
        orgs = ByteInterner(capacity: 0)
        orgExists = []
        orgPolicy = []
        accounts = ByteInterner(capacity: 0)
        perAccount = AccountTable()
        seen = [:]
        candidates = []
        values = ByteInterner(capacity: 0)
        valueIsBlank = []
        replayed = CompactReplay()
        historyPairs = []
        historyPairAccounts = []
        invalidEvents = []
        valueLevel = []
        valueOrg = []
    }

    private func orgID(_ text: String) -> Int32 {
        DBText.bytes(text).withUnsafeBufferPointer { orgID($0) }
    }

    /// Throws `Unsupported` for a value too long to intern (the reference path takes it).
    @inline(__always)
    static func check(_ bytes: UnsafeBufferPointer<UInt8>?) throws {
        if let bytes, bytes.count > ByteInterner.maximumLength {
            throw FastAudit.Unsupported(why: "a value longer than \(ByteInterner.maximumLength) bytes")
        }
    }

    /// The account index of an id, interning an id the accounts table lacks (its state reads as
    /// `Account.missing`), so history can name it; NULL is `CompactReplay.null`.
    @inline(__always)
    func accountValue(_ bytes: UnsafeBufferPointer<UInt8>?) -> Int32 {
        guard let bytes else { return CompactReplay.null }
        return accounts.intern(bytes).id
    }

    func accountText(_ id: Int32) -> String? {
        id == CompactReplay.null ? nil : accounts.string(id)
    }

    /// The policy an existing account's grants are judged by, nil when unauditable for its
    /// account, organisation or policy.
    @inline(__always)
    func policyIndex(ofAccount account: Int32) -> Int32? {
        let account = perAccount[account]
        guard account.exists else { return nil }
        let org = account.org
        guard org >= 0, orgExists[Int(org)] else { return nil }
        let policy = orgPolicy[Int(org)]
        return policy >= 0 ? policy : nil
    }

    /// The interned id of an organisation id (or any scope value).
    @inline(__always)
    func orgID(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (id, isNew) = orgs.intern(bytes)
        if isNew {
            orgExists.append(false)
            orgPolicy.append(-1)
        }
        return id
    }

    /// The interned id of a history value; NULL is `CompactReplay.null`.
    @inline(__always)
    func valueID(_ bytes: UnsafeBufferPointer<UInt8>?) -> Int32 {
        guard let bytes else { return CompactReplay.null }
        let (id, isNew) = values.intern(bytes)
        if isNew { valueIsBlank.append(Blank.isBlank(bytes: bytes)) }
        return id
    }

    /// The value's id with blank folded into NULL, as `history-mismatch` compares.
    @inline(__always)
    func folded(_ id: Int32) -> Int32 {
        id == CompactReplay.null || valueIsBlank[Int(id)] ? CompactReplay.null : id
    }

    func valueText(_ id: Int32) -> String? {
        id == CompactReplay.null ? nil : values.string(id)
    }
}
