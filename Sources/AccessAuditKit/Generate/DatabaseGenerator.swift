import Foundation

/// `access-audit generate`: a realistic contract database with full history, reproducible from
/// a seed, for demos, capacity tests and every benchmark.
///
/// The state is as of `DatabaseGenerator.now` (2026-06-01T00:00:00Z): audit it with that `--now`.
/// Without `clean`, a small share of every problem the rules look for is planted.
public enum DatabaseGenerator {
    /// The most accounts `generate` writes (50 million, about 25 times the largest benchmark):
    /// beyond, memory runs out before the file is written.
    public static let maxAccounts = 50_000_000

    /// The moment a generated database describes.
    public static let now = Timestamp(seconds: Timestamp.daysFromCivil(year: 2026, month: 6, day: 1) * 86_400)

    public struct Options: Sendable {
        public var accounts: Int
        public var seed: UInt64
        public var clean: Bool
        /// The share of history events (0...1) written out of `event_id` order (back-dated:
        /// imported later than events after them) and with `occurred_at` in another valid form
        /// (an offset, a fraction of zeros, a space for `T`, no zone, no seconds). 0 writes the
        /// logs in time order, all `Z`; 1 shuffles them whole. The instants and every row's
        /// values stay the same, so only `event_id`s (and the text of `occurred_at`) change:
        /// the findings are the same but for the `event_id` of `invalid-event`.
        public var disorder: Double

        public init(accounts: Int, seed: UInt64 = 1, clean: Bool = false, disorder: Double = 0) {
            self.accounts = accounts
            self.seed = seed
            self.clean = clean
            self.disorder = min(1, max(0, disorder))
        }
    }

    /// Row counts of what was written.
    public struct Summary: Sendable, Equatable {
        public var organisations = 0
        public var accounts = 0
        public var grants = 0
        public var grantEvents = 0
        public var accountEvents = 0
        public var releases = 0
    }

    /// Writes a new database at `path` (which must not exist).
    public static func generate(to path: String, options: Options) throws -> Summary {
        var random = SplitMix64(seed: options.seed)
        let world = build(options, random: &random)
        let connection = try Connection(creatingNewFileAt: path)
        try connection.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536")
        try connection.executeScript(BundledSchema.sql)
        // Indexes are built once after the rows are in: much faster than maintaining them.
        var indexes: [(name: String, sql: String)] = []
        try connection.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").forEachRow {
            if let name = $0.text(0), let sql = $0.text(1) { indexes.append((name, sql)) }
        }
        for index in indexes { try connection.execute("DROP INDEX \"\(index.name)\"") }
        try connection.execute("BEGIN")
        var writer = GeneratedWriter(connection: connection, world: world, clean: options.clean, seed: options.seed, disorder: options.disorder)
        let summary = try writer.write()
        try connection.execute("COMMIT")
        for index in indexes { try connection.execute(index.sql) }
        try connection.execute("ANALYZE")
        return summary
    }

    static func build(_ options: Options, random: inout SplitMix64) -> GeneratedWorld {
        var world = GeneratedWorld()
        let problems = !options.clean
        let typeCount = problems ? GeneratedWorld.types.count : GeneratedWorld.legacy
        world.orgsOfType = Array(repeating: [], count: GeneratedWorld.types.count)

        // Organisations: alliances first (providers and commissioners hang below them).
        let orgCount = max(24, options.accounts / 200)
        let alliances = max(2, orgCount / 40)
        func addOrg(_ type: Int, parent: Int32 = -1) {
            let index = Int32(world.orgs.count)
            world.orgs.append(.init(type: type, parent: parent))
            world.orgsOfType[type].append(index)
            if parent >= 0 { world.covers[parent, default: []].append(index) }
        }
        for _ in 0..<alliances { addOrg(2) }
        for region in 0..<max(1, alliances / 5) {
            addOrg(3)
            let team = Int32(world.orgs.count - 1)
            world.covers[team] = world.orgsOfType[2].enumerated().filter { $0.offset % max(1, alliances / 5) == region }.map(\.element)
        }
        for _ in 0..<2 { addOrg(4) }
        for _ in 0..<2 { addOrg(5) }
        if problems { for _ in 0..<3 { addOrg(GeneratedWorld.legacy) } }
        while world.orgs.count < orgCount {
            let parent = world.orgsOfType[2][Int(random.int(0...Int64(alliances - 1)))]
            addOrg(random.chance(0.7) ? 0 : 1, parent: parent)
        }

        // Accounts.
        let shares = GeneratedWorld.types.prefix(typeCount).map(\.share)
        let total = shares.reduce(0, +)
        let now = DatabaseGenerator.now.seconds
        let day: Int64 = 86_400
        world.accounts.reserveCapacity(options.accounts)
        for _ in 0..<options.accounts {
            var pick = Double(random.next() >> 11) * 0x1.0p-53 * total
            var type = 0
            while type < typeCount - 1, pick >= shares[type] {
                pick -= shares[type]
                type += 1
            }
            let candidates = world.orgsOfType[type]
            let org = candidates[Int(random.int(0...Int64(candidates.count - 1)))]
            let created = now - random.int(30 * day...3_650 * day)
            var account = GeneratedWorld.Account(
                org: org, initialOrg: org, created: created, lastLogin: now - random.int(0...20 * day), status: 0,
                statusChanged: 0, moved: 0, badCreated: false, badLogin: false)
            if random.chance(0.02), candidates.count > 1 {
                account.initialOrg = candidates[Int(random.int(0...Int64(candidates.count - 1)))]
                account.moved = random.int(created + 1...now - day)
            }
            if problems {
                if random.chance(0.01) {
                    account.status = random.chance(0.5) ? 1 : 2
                    account.statusChanged = random.int(created + 1...now - day)
                }
                if random.chance(0.02) { account.lastLogin = now - random.int(100 * day...400 * day) }
                if random.chance(0.003) { account.lastLogin = .min }
                account.badCreated = random.chance(0.0005)
                account.badLogin = random.chance(0.0005)
            }
            account.lastLogin = account.lastLogin == .min ? .min : max(account.lastLogin, created)
            world.accounts.append(account)
        }

        // Grants.
        var nextID: Int64 = 1
        var revoked: [GeneratedWorld.Grant] = []
        for (index, account) in world.accounts.enumerated() {
            let type = world.orgs[Int(account.org)].type
            let policy = GeneratedWorld.types[type]
            let base = GeneratedWorld.Grant(
                id: 0, account: Int32(index), level: Int8(policy.defaultLevel), scope: random.chance(0.5) ? -1 : account.org,
                grantedAt: random.int(account.created...now - day), grantedBy: UInt8(random.int(0...39)),
                approver: Int16(random.int(0...39)), expires: random.chance(0.05) ? now + random.int(day...400 * day) : .min,
                badGrantedAt: false, badExpires: false, history: random.chance(0.1) ? 1 : 0, revokedAt: 0, changedAt: 0)
            var own = [base]
            if random.chance(0.3) {
                var second = base
                second.grantedAt = random.int(account.created...now - day)
                if let covered = world.covers[account.org], !covered.isEmpty {
                    second.scope = covered[Int(random.int(0...Int64(covered.count - 1)))]
                } else {
                    second.scope = base.scope == -1 ? account.org : -1
                }
                if problems, policy.maxLevel > policy.defaultLevel, random.chance(0.5) { second.level = Int8(policy.maxLevel) }
                own.append(second)
            }
            if random.chance(0.08) {
                var gone = base
                gone.history = 4
                gone.revokedAt = random.int(gone.grantedAt + 1...now)
                revoked.append(gone)
            }
            for var grant in own {
                if grant.history == 1 {
                    grant.changedAt = random.int(grant.grantedAt...now - 1)
                    // Never at the very instant of the grant: their order would then be the
                    // event_ids', which `disorder` changes.
                    if grant.changedAt == grant.grantedAt { grant.changedAt += 1 }
                }
                if problems { plantProblems(&grant, account: account, world: world, random: &random) }
                grant.id = nextID
                nextID += 1
                world.grants.append(grant)
                if problems, random.chance(0.003) {
                    var copy = grant
                    copy.history = 0
                    copy.grantedAt = min(now - 1, grant.grantedAt + day)
                    copy.id = nextID
                    nextID += 1
                    world.grants.append(copy)
                }
            }
        }
        for var grant in revoked {
            grant.id = nextID
            nextID += 1
            world.grants.append(grant)
        }
        return world
    }

    /// A small share of every problem the rules look for.
    static func plantProblems(
        _ grant: inout GeneratedWorld.Grant, account: GeneratedWorld.Account, world: GeneratedWorld, random: inout SplitMix64
    ) {
        let now = DatabaseGenerator.now.seconds
        if random.chance(0.005) { grant.level = 3 }  // national, above most types' maximum
        if random.chance(0.004) {
            let other = Int32(random.int(0...Int64(world.orgs.count - 1)))
            if other != account.org, !(world.covers[account.org]?.contains(other) ?? false) { grant.scope = other }
        }
        if random.chance(0.004) { grant.approver = -1 }
        if random.chance(0.003) { grant.approver = -2 }
        if random.chance(0.001) { grant.approver = -3 }
        if random.chance(0.01) { grant.expires = now - random.int(0...86_400 * 300) }
        grant.badGrantedAt = random.chance(0.0005)
        grant.badExpires = random.chance(0.0005)
        if random.chance(0.0005) { grant.account = -1 }
        if random.chance(0.0005) { grant.level = -1 }
        if random.chance(0.001) { grant.history = 2 }
        if random.chance(0.0005) { grant.history = 3 }
    }
}
