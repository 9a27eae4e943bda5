import Foundation

/// Maps byte strings to dense `Int32` ids without making Strings: one byte arena, one open-
/// addressing table. The fast engine keys accounts, organisations, levels and people by these ids.
///
/// Laid out for cache misses, the cost that matters at a million ids: a table slot holds a hash
/// tag and where the entry starts in the arena, and an entry keeps its id and length right before
/// its bytes, so a lookup that hits touches two cache lines (the slot, the entry), not three.
struct ByteInterner {
    /// Per entry: its id (4 bytes), its length (4 bytes), then its bytes.
    private var arena: [UInt8] = []
    /// Per id: where its entry starts in `arena`.
    private var offsets: [Int] = []
    /// Per slot: the hash's top 24 bits << 40 | (entry offset + 1); 0 is empty.
    private var table: [UInt64]
    private var mask: Int

    private static let header = 8
    private static let offsetMask: UInt64 = (1 << 40) - 1

    init(capacity: Int = 1024) {
        var size = 1024
        while size < capacity * 2 { size <<= 1 }
        table = Array(repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { offsets.count }

    /// The longest value an interner holds; the fast engine hands longer ones to the reference path.
    static let maximumLength = 0xFFF_FFFF

    /// 8 bytes at a time, then a final mix so the low bits (the slot) and the top bits (the tag)
    /// depend on every byte.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return UInt32(truncatingIfNeeded: hash) }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= bytes.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            index += 8
        }
        if index < bytes.count {
            var tail: UInt64 = 0
            for offset in index..<bytes.count { tail = tail << 8 | UInt64(base[offset]) }
            hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
        }
        hash ^= hash >> 32
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 29
        return UInt32(truncatingIfNeeded: hash)
    }

    @inline(__always)
    private static func tag(_ hash: UInt32) -> UInt64 { UInt64(hash >> 8) << 40 }

    /// The slot holding `bytes`, or the empty slot where they would go.
    @inline(__always)
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> (slot: Int, id: Int32?) {
        var slot = Int(hash) & mask
        let tag = ByteInterner.tag(hash)
        return table.withUnsafeBufferPointer { table in
            arena.withUnsafeBufferPointer { arena in
                while true {
                    let entry = table[slot]
                    if entry == 0 { return (slot, nil) }
                    if entry & ~ByteInterner.offsetMask == tag, let base = arena.baseAddress {
                        let start = UnsafeRawPointer(base + Int(entry & ByteInterner.offsetMask) - 1)
                        if Int(start.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) == bytes.count,
                            ByteInterner.equal(start + ByteInterner.header, bytes)
                        {
                            return (slot, Int32(bitPattern: start.loadUnaligned(as: UInt32.self)))
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Whether the `bytes.count` bytes at `stored` equal `bytes`: short ids byte by byte (no call),
    /// long ones with memcmp.
    @inline(__always)
    private static func equal(_ stored: UnsafeRawPointer, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let probe = bytes.baseAddress, bytes.count > 0 else { return true }
        if bytes.count > 16 { return memcmp(stored, probe, bytes.count) == 0 }
        let stored = stored.assumingMemoryBound(to: UInt8.self)
        for index in 0..<bytes.count where stored[index] != probe[index] { return false }
        return true
    }

    /// The id of `bytes`, nil when never interned.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(bytes, hash: ByteInterner.hash(bytes)).id
    }

    /// The id of `bytes`, interning them when new. `isNew` tells which.
    @discardableResult
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> (id: Int32, isNew: Bool) {
        let hash = ByteInterner.hash(bytes)
        let (slot, found) = find(bytes, hash: hash)
        if let found { return (found, false) }
        let id = offsets.count
        let offset = arena.count
        offsets.append(offset)
        withUnsafeBytes(of: UInt32(id).littleEndian) { arena.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: bytes)
        table[slot] = ByteInterner.tag(hash) | UInt64(offset + 1)
        if offsets.count * 2 > table.count { grow() }
        return (Int32(id), true)
    }

    mutating func intern(_ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { intern($0).id }
    }

    private mutating func grow() {
        table = Array(repeating: 0, count: table.count * 2)
        mask = table.count - 1
        for id in offsets.indices {
            let hash = withBytes(Int32(id)) { ByteInterner.hash($0) }
            var slot = Int(hash) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = ByteInterner.tag(hash) | UInt64(offsets[id] + 1)
        }
    }

    /// Calls `body` with the bytes of `id`.
    func withBytes<T>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let offset = offsets[Int(id)]
        return arena.withUnsafeBufferPointer { arena in
            let length = arena.baseAddress.map {
                Int(UnsafeRawPointer($0 + offset).loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            } ?? 0
            let start = offset + ByteInterner.header
            return body(UnsafeBufferPointer(rebasing: arena[start..<start + length]))
        }
    }

    /// The text of `id` (lossless, as `Row.text`).
    func string(_ id: Int32) -> String {
        withBytes(id) { DBText.decode($0) }
    }
}
