/// Writes a `GeneratedWorld` into the contract's tables, history in time order (or, with
/// `disorder`, that share of events out of order and in other timestamp forms).
struct GeneratedWriter {
    let connection: Connection
    let world: GeneratedWorld
    let clean: Bool
    let disorder: Double
    /// A stream of its own for the disorder, so the world is the same at every share.
    private var shuffle: SplitMix64
    private var time = TimestampText()
    private var summary = DatabaseGenerator.Summary()
    private static let prefixes = ["PRV", "COM", "ALL", "REG", "NAT", "DP", "LEG"]
    private static let names = ["Provider", "Commissioner", "Cancer Alliance", "Regional Team", "National Producer", "Data Processor", "Legacy Partner"]

    init(connection: Connection, world: GeneratedWorld, clean: Bool, seed: UInt64 = 1, disorder: Double = 0) {
        self.connection = connection
        self.world = world
        self.clean = clean
        self.disorder = disorder
        shuffle = SplitMix64(seed: seed ^ 0xD150_4DE4_5EED_0001)
    }

    /// One history event, compact: sorted by time (account events first at the same instant),
    /// then numbered, so event_id follows time as in a real append-only log.
    private struct Event {
        var time: Int64
        var log: UInt8  // 0 account_events, 1 grant_events
        var kind: UInt8  // account: 0 create, 1 move, 2 status; grant: 0 grant, 1 change, 2 revoke, 3 revoke of nothing
        var ref: Int32
    }

    mutating func write() throws -> DatabaseGenerator.Summary {
        try writeReference()
        try writeAccounts()
        try writeGrants()
        try writeEvents()
        try writeReleases()
        return summary
    }

    /// Monthly national outputs over the ten years of history (and a regional extract each
    /// quarter), each generated a week before it is published; the newest is not yet published.
    /// Fixed, not drawn from the seed's stream, so the rest of a database stays as it was.
    private mutating func writeReleases() throws {
        let insert = try connection.prepare("INSERT INTO releases VALUES (?1, ?2, ?3, ?4, ?5)")
        let day: Int64 = 86_400, now = DatabaseGenerator.now.seconds
        for month in 0..<120 {
            let generated = now - Int64(119 - month) * 30 * day - 4 * day
            let published = generated + 7 * day
            for (suffix, level) in month % 3 == 0 ? [("", "national"), ("-REG", "regional")] : [("", "national")] {
                try insert.bind("REL-\(String(month + 1000))\(suffix)", at: 1)
                try insert.bind("Monthly statistics \(month + 1)" + (suffix.isEmpty ? "" : ": regional extract"), at: 2)
                try insert.bind(level, at: 3)
                try insert.bind(Timestamp(seconds: generated).description, at: 4)
                try insert.bind(published <= now ? Timestamp(seconds: published).description : nil, at: 5)
                try insert.run()
                summary.releases += 1
            }
        }
    }

    private func orgID(_ index: Int32) -> String {
        let org = world.orgs[Int(index)]
        return "\(GeneratedWriter.prefixes[org.type])-\(String(index + 10_000))"
    }

    private func accountID(_ index: Int32) -> String { "acc-\(String(Int(index) + 1_000_000))" }

    private mutating func writeReference() throws {
        let levels = try connection.prepare("INSERT INTO access_levels VALUES (?1, ?2, ?3)")
        for level in GeneratedWorld.levels {
            try levels.bind(level.name, at: 1)
            try levels.bind(level.rank, at: 2)
            try levels.bind("Pre-publication data: \(level.name)", at: 3)
            try levels.run()
        }
        let policy = try connection.prepare("INSERT INTO policy VALUES (?1, ?2, ?3, ?4)")
        for (index, type) in GeneratedWorld.types.enumerated() where !clean || index != GeneratedWorld.legacy {
            try policy.bind(type.type, at: 1)
            try policy.bind(GeneratedWorld.levels[type.defaultLevel].name, at: 2)
            try policy.bind(type.maxLevel >= 0 ? GeneratedWorld.levels[type.maxLevel].name : "gold", at: 3)
            try policy.bind(type.approval ? 1 : 0, at: 4)
            try policy.run()
        }
        let orgs = try connection.prepare("INSERT INTO organisations VALUES (?1, ?2, ?3, ?4)")
        for (index, org) in world.orgs.enumerated() {
            try orgs.bind(orgID(Int32(index)), at: 1)
            try orgs.bind("\(GeneratedWriter.names[org.type]) \(index)", at: 2)
            try orgs.bind(GeneratedWorld.types[org.type].type, at: 3)
            try orgs.bind(org.parent >= 0 ? orgID(org.parent) : nil, at: 4)
            try orgs.run()
        }
        summary.organisations = world.orgs.count
        let remit = try connection.prepare("INSERT INTO org_remit VALUES (?1, ?2)")
        for (org, covered) in world.covers.sorted(by: { $0.key < $1.key }) {
            for other in covered {
                try remit.bind(orgID(org), at: 1)
                try remit.bind(orgID(other), at: 2)
                try remit.run()
            }
        }
    }

    private mutating func writeAccounts() throws {
        let insert = try connection.prepare("INSERT INTO accounts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        for (index, account) in world.accounts.enumerated() {
            let id = Int32(index)
            try insert.bind(accountID(id), at: 1)
            try insert.bind("user\(index + 1_000_000)", at: 2)
            try insert.bind("User \(index + 1)", at: 3)
            try insert.bind(orgID(account.org), at: 4)
            try insert.bind(["active", "disabled", "left"][Int(account.status)], at: 5)
            try insert.bind(account.badCreated ? "31/01/2019" : time.text(account.created), at: 6)
            try insert.bind(account.badLogin ? "yesterday" : account.lastLogin == .min ? nil : time.text(account.lastLogin), at: 7)
            try insert.run()
        }
        summary.accounts = world.accounts.count
    }

    /// The text of a grant's fields, as in the table (`logged: false`) or in its first event.
    private mutating func fields(_ grant: GeneratedWorld.Grant, firstEvent: Bool) -> [String?] {
        let account = grant.account >= 0 ? accountID(grant.account) : "acc-gone-\(grant.id)"
        var level = grant.level >= 0 ? GeneratedWorld.levels[Int(grant.level)].name : "superuser"
        let grantor = "admin\(String(100 + Int(grant.grantedBy)).dropFirst())"
        var approver: String?
        switch grant.approver {
        case -1: approver = nil
        case -2: approver = grantor
        case -3: approver = "USER\(Int(grant.account) + 1_000_000)"
        default: approver = "approver\(String(100 + Int(grant.approver)).dropFirst())"
        }
        if firstEvent, grant.history == 1 {
            level = "organisation"
            approver = "approver99"
        }
        if firstEvent, grant.history == 2 { approver = "approver98" }
        let expires: String? = grant.badExpires ? "2026-02-30" : grant.expires == .min ? nil : time.text(grant.expires)
        return [
            account, level, grant.scope >= 0 ? orgID(grant.scope) : nil,
            grant.badGrantedAt && !firstEvent ? "07/03/2019" : time.text(grant.grantedAt), grantor, approver, expires,
        ]
    }

    private mutating func writeGrants() throws {
        let insert = try connection.prepare("INSERT INTO grants VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        for grant in world.grants where grant.history != 4 {
            try insert.bind(grant.id, at: 1)
            for (offset, value) in fields(grant, firstEvent: false).enumerated() { try insert.bind(value, at: Int32(offset + 2)) }
            try insert.run()
            summary.grants += 1
        }
    }

    private mutating func writeEvents() throws {
        var events: [Event] = []
        events.reserveCapacity(world.accounts.count + world.grants.count * 5 / 4)
        for (index, account) in world.accounts.enumerated() {
            events.append(Event(time: account.created, log: 0, kind: 0, ref: Int32(index)))
            if account.moved > 0 { events.append(Event(time: account.moved, log: 0, kind: 1, ref: Int32(index))) }
            if account.status > 0 { events.append(Event(time: account.statusChanged, log: 0, kind: 2, ref: Int32(index))) }
        }
        for (index, grant) in world.grants.enumerated() where grant.history != 3 {
            events.append(Event(time: grant.grantedAt, log: 1, kind: 0, ref: Int32(index)))
            if grant.history == 1 { events.append(Event(time: grant.changedAt, log: 1, kind: 1, ref: Int32(index))) }
            if grant.history == 4 { events.append(Event(time: grant.revokedAt, log: 1, kind: 2, ref: Int32(index))) }
            if !clean, index % 5_000 == 17 {
                events.append(Event(time: grant.grantedAt + 60, log: 1, kind: 3, ref: Int32(index)))
            }
        }
        events.sort { ($0.time, $0.log, $0.ref, $0.kind) < ($1.time, $1.log, $1.ref, $1.kind) }
        if disorder > 0 { disarrange(&events) }
        let accountInsert = try connection.prepare("INSERT INTO account_events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        let grantInsert = try connection.prepare("INSERT INTO grant_events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
        for (number, event) in events.enumerated() {
            let eventID = Int64(number + 1)
            if event.log == 0 {
                let account = world.accounts[Int(event.ref)]
                let values: [String?] = [
                    ["create", "move", "status"][Int(event.kind)], accountID(event.ref),
                    event.kind == 0 ? orgID(account.initialOrg) : event.kind == 1 ? orgID(account.org) : nil,
                    event.kind == 0 ? "active" : event.kind == 2 ? ["active", "disabled", "left"][Int(account.status)] : nil,
                    "admin07", event.kind == 0 ? "new account" : nil,
                ]
                try accountInsert.bind(eventID, at: 1)
                try accountInsert.bind(occurredAt(event.time), at: 2)
                for (offset, value) in values.enumerated() { try accountInsert.bind(value, at: Int32(offset + 3)) }
                try accountInsert.run()
                summary.accountEvents += 1
            } else {
                let grant = world.grants[Int(event.ref)]
                let values = fields(grant, firstEvent: event.kind == 0)
                let action = ["grant", "change", "revoke", "revoke"][Int(event.kind)]
                try grantInsert.bind(eventID, at: 1)
                try grantInsert.bind(occurredAt(event.time), at: 2)
                try grantInsert.bind(action, at: 3)
                try grantInsert.bind(event.kind == 3 ? 1_000_000_000 + grant.id : grant.id, at: 4)
                try grantInsert.bind(values[0], at: 5)
                if event.kind < 2 {
                    try grantInsert.bind(values[1], at: 6)
                    try grantInsert.bind(values[2], at: 7)
                    try grantInsert.bind(values[5], at: 9)
                    try grantInsert.bind(values[6], at: 10)
                }
                try grantInsert.bind(event.kind == 0 ? values[4] : "admin07", at: 8)
                try grantInsert.bind(event.kind == 0 ? "REQ-\(grant.id)" : nil, at: 11)
                try grantInsert.run()
                summary.grantEvents += 1
            }
        }
    }
}

extension GeneratedWriter {
    /// Moves `disorder` of the events to a random place in `event_id` order (the rest keep
    /// their order): a back-dated event is imported among later ones.
    private mutating func disarrange(_ events: inout [Event]) {
        let count = events.count
        guard count > 1 else { return }
        var places = [(Double, Int)]()
        places.reserveCapacity(count)
        for index in 0..<count {
            let place = shuffle.chance(disorder) ? Double(shuffle.int(0...Int64(count - 1))) + 0.5 : Double(index)
            places.append((place, index))
        }
        places.sort { $0 < $1 }
        events = places.map { events[$0.1] }
    }

    /// An event's `occurred_at`: the `Z` form, or (for `disorder` of them) the same instant in
    /// another form CONTRACT.md §2 accepts.
    private mutating func occurredAt(_ seconds: Int64) -> String {
        guard disorder > 0, shuffle.chance(disorder) else { return time.text(seconds) }
        let utc = time.text(seconds)
        func local(_ offset: Int64, _ zone: String, space: Bool) -> String {
            let text = time.text(seconds + offset).dropLast()  // the Z
            return space ? String(text.prefix(10)) + " " + text.dropFirst(11) + zone : String(text) + zone
        }
        switch shuffle.int(0...5) {
        case 0: return local(3_600, "+01:00", space: false)
        case 1: return String(utc.dropLast()) + ".000Z"
        case 2: return local(0, "", space: true)
        case 3: return local(-5 * 3_600 - 1_800, "-05:30", space: true)
        case 4 where seconds % 60 == 0: return String(utc.dropLast(4)) + "Z"
        default: return String(utc.dropLast()) + ".0"
        }
    }
}
