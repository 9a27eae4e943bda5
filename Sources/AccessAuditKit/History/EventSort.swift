import Foundation

/// Both logs in the contract's order (§4) when they are not in `event_id` order, at the speed of
/// reading them: each log is read once in rowid order (a sequential scan), every row is kept as a
/// compact copy with a fixed 32-byte sort key, the keys are sorted in memory, and what does not
/// fit `AuditOptions.Tuning.sortMemory` is sorted in runs written to one temporary file and
/// merged (an external merge sort). Memory stays at the budget whatever the number of events.
///
/// The order is exactly the reference path's `ORDER BY instant, log, event_id`: an invalid
/// `occurred_at` first (by log, then event_id), then by instant, account events before grant
/// events at the same instant, then by `event_id`, then in table order (`TableOrder`: each log is
/// read in it, and equal keys keep it). A log whose `event_id` is not always an
/// integer cannot be keyed here (`Unkeyable`); the caller sorts it with SQLite instead.
final class EventSort {
    /// A row's place in the order (32 bytes).
    struct Key {
        var seconds: Int64
        /// The fraction's first 19 digits as an integer, padded on the right: equal prefixes of
        /// different lengths compare by `long`, longer ones from the text (`EventSort.precedes`).
        var fraction: UInt64
        var eventID: Int64
        /// The payload's offset shifted left by 3, with `grant`, `valid` and `long`.
        var ref: UInt64

        static let grant: UInt64 = 1, valid: UInt64 = 2, long: UInt64 = 4
        var offset: Int { Int(ref >> 3) }
    }

    /// A log's `event_id` that is not an integer.
    struct Unkeyable: Error {}

    let tuning: AuditOptions.Tuning
    private var keys: [Key] = []
    private let arena = ByteArena()
    private var spill: SpillFile?
    private var runs: [Range<Int>] = []

    init(tuning: AuditOptions.Tuning) {
        self.tuning = tuning
        // Reserved, not touched: pages become resident only as rows are copied in.
        arena.reserve(tuning.sortMemory)
        keys.reserveCapacity(tuning.sortMemory / 4 / MemoryLayout<Key>.stride + 1)
    }

    /// Bytes held in memory: the keys and the rows' copies.
    private var held: Int { keys.count * MemoryLayout<Key>.stride + arena.count }

    /// Reads the present logs (each in table order, a plain scan) into the sort; with
    /// `pipelined`, SQLite is stepped on a second thread while this one copies and keys the rows.
    func read(_ connection: Connection, logs: EventReader.Logs, pipelined: Bool = false) throws {
        for (log, present) in [(0, logs.accountEvents), (1, logs.grantEvents)] where present {
            let statement = try connection.prepare(EventReader.idOrderQuery(connection, grantLog: log == 1, order: .table))
            let nulls = log == 0 ? EventReader.Column.accountNulls : EventReader.Column.grantNulls
            if pipelined {
                let numbered = Set([EventReader.Column.log, EventReader.Column.eventID, EventReader.Column.grantID].map(Int.init))
                try statement.forEachRowPipelined(columns: EventReader.Column.count, numbered: numbered, nulls: nulls) {
                    try add($0, grantLog: log == 1, nulls: nulls)
                }
            } else {
                while let row = try statement.step() { try add(row, grantLog: log == 1, nulls: nulls) }
            }
        }
    }

    private func add(_ row: some RowValues, grantLog: Bool, nulls: UInt64) throws {
        typealias C = EventReader.Column
        guard row.storageClass(C.eventID) == .integer else { throw Unkeyable() }
        var key = Key(seconds: 0, fraction: 0, eventID: row.int64(C.eventID), ref: grantLog ? Key.grant : 0)
        if let instant = row.bytes(C.occurredAt).flatMap(Timestamp.parse) {
            key.seconds = instant.seconds
            key.ref |= Key.valid
            let digits = instant.fraction.utf8
            var value: UInt64 = 0
            for digit in digits.prefix(19) { value = value &* 10 &+ UInt64(digit &- 0x30) }
            for _ in digits.count..<max(digits.count, 19) { value &*= 10 }
            key.fraction = value
            if digits.count > 19 { key.ref |= Key.long }
        }
        key.ref |= UInt64(arena.count) << 3
        try EncodedRow.encode(row, nulls: nulls, into: arena)
        keys.append(key)
        if held >= tuning.sortMemory { try spillRun() }
    }

    /// Whether `a` comes before `b`; `payloadA` and `payloadB` are their rows (read only to order
    /// two fractions longer than 19 digits that share those digits).
    @inline(__always)
    static func precedes(_ a: Key, _ payloadA: UnsafeRawPointer, _ b: Key, _ payloadB: UnsafeRawPointer) -> Bool {
        let validA = a.ref & Key.valid, validB = b.ref & Key.valid
        if validA != validB { return validA < validB }
        if validA != 0 {
            if a.seconds != b.seconds { return a.seconds < b.seconds }
            if a.fraction != b.fraction { return a.fraction < b.fraction }
            let longA = a.ref & Key.long, longB = b.ref & Key.long
            if longA != longB { return longA < longB }
            if longA != 0 {
                let fractionA = EncodedRow.instant(payloadA)?.fraction ?? "", fractionB = EncodedRow.instant(payloadB)?.fraction ?? ""
                if fractionA != fractionB { return fractionA.utf8.lexicographicallyPrecedes(fractionB.utf8) }
            }
        }
        let grantA = a.ref & Key.grant, grantB = b.ref & Key.grant
        if grantA != grantB { return grantA < grantB }
        if a.eventID != b.eventID { return a.eventID < b.eventID }
        // The same event_id at the same instant: table order, which is the order rows were copied
        // in (a spilled key has no offset: `RunMerge` takes the earlier run first).
        return a.offset < b.offset
    }

    /// The parsed `occurred_at` of a keyed row: from the key for a whole second, else parsed again.
    @inline(__always)
    static func instant(_ key: Key, _ row: EncodedRow) -> Timestamp? {
        guard key.ref & Key.valid != 0 else { return nil }
        if key.fraction == 0, key.ref & Key.long == 0 { return Timestamp(seconds: key.seconds) }
        return row.instant
    }

    private func sortKeys() {
        let base = UnsafeRawPointer(arena.base)
        keys.sort { EventSort.precedes($0, base + $0.offset, $1, base + $1.offset) }
    }

    /// Sorts what is held and appends it to the temporary file as one run.
    private func spillRun() throws {
        guard !keys.isEmpty else { return }
        sortKeys()
        if spill == nil { spill = try SpillFile(directory: tuning.temporaryDirectory) }
        guard let spill else { return }
        let start = spill.size
        for key in keys {
            var stored = key
            stored.ref &= 7
            try withUnsafeBytes(of: &stored) { try spill.append($0) }
            try spill.append(UnsafeRawBufferPointer(start: arena.base + key.offset, count: EncodedRow.length(arena.base + key.offset)))
        }
        try spill.flush()
        runs.append(start..<spill.size)
        keys.removeAll(keepingCapacity: true)
        arena.removeAll()
    }

    /// Hands every row over in order, with its parsed instant (nil when invalid), until `body`
    /// returns false. A row is valid only during its call.
    func forEach(_ body: (EncodedRow, Timestamp?) throws -> Bool) throws {
        var scratch = EncodedRow.Scratch()
        if runs.isEmpty {
            sortKeys()
            for key in keys {
                let payload = UnsafeRawPointer(arena.base + key.offset)
                let row = scratch.decode(payload)
                guard try body(row, EventSort.instant(key, row)) else { return }
            }
            return
        }
        try spillRun()
        guard let spill else { return }
        keys = []
        arena.release()
        let buffer = max(64 << 10, tuning.sortMemory / max(1, runs.count))
        var merge = try RunMerge(file: spill, runs: runs, bufferBytes: buffer)
        while let (key, payload) = merge.current {
            let row = scratch.decode(payload)
            guard try body(row, EventSort.instant(key, row)) else { return }
            try merge.advance()
        }
    }
}

/// A growable byte buffer (the rows' copies of one run).
final class ByteArena {
    private(set) var base = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 8)
    private(set) var count = 0
    private var capacity = 1 << 16

    deinit { base.deallocate() }

    /// Room for `extra` more bytes, at `base + count`.
    func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var grown = capacity * 2
        while grown < count + extra { grown *= 2 }
        let next = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 8)
        next.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = next
        capacity = grown
    }

    var capacityLeft: Int { capacity - count }

    func advance(_ bytes: Int) { count += bytes }

    func removeAll() { count = 0 }

    /// Empties the arena and gives its memory back (keeping a small buffer).
    func release() {
        base.deallocate()
        capacity = 1 << 16
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        count = 0
    }
}
