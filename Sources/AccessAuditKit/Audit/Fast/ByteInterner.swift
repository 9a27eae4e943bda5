import Foundation

/// Maps byte strings to dense `Int32` ids without making Strings: one byte arena, one open-
/// addressing table. The fast engine keys accounts, organisations, levels and people by these ids.
///
/// Laid out for cache misses, the cost that matters at a million ids: a table slot holds the
/// hash and the id together, and one word holds an entry's start and length.
struct ByteInterner {
    private var arena: [UInt8] = []
    /// Per id: start << 28 | length.
    private var spans: [UInt64] = []
    /// Per slot: hash << 32 | (id + 1); 0 is empty.
    private var table: [UInt64]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 1024
        while size < capacity * 2 { size <<= 1 }
        table = Array(repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { spans.count }

    /// The longest value an interner holds; the fast engine hands longer ones to the reference path.
    static let maximumLength = 0xFFF_FFFF

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        // FNV-1a, then a final mix so the low bits (the slot) depend on every byte.
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        hash ^= hash >> 15
        hash = hash &* 0x2C1B_3C6D
        hash ^= hash >> 12
        return hash
    }

    @inline(__always)
    private func matches(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let span = spans[id]
        let length = Int(span & 0xFFF_FFFF)
        guard length == bytes.count else { return false }
        if length == 0 { return true }
        return arena.withUnsafeBufferPointer { arena in
            guard let stored = arena.baseAddress, let probe = bytes.baseAddress else { return false }
            return memcmp(stored + Int(span >> 28), probe, length) == 0
        }
    }

    /// The slot holding `bytes`, or the empty slot where they would go.
    @inline(__always)
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> (slot: Int, id: Int32?) {
        var slot = Int(hash) & mask
        let tag = UInt64(hash) << 32
        while true {
            let entry = table[slot]
            if entry == 0 { return (slot, nil) }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(entry & 0xFFFF_FFFF) - 1
                if matches(id, bytes) { return (slot, Int32(id)) }
            }
            slot = (slot + 1) & mask
        }
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
        let id = spans.count
        spans.append(UInt64(arena.count) << 28 | UInt64(bytes.count))
        arena.append(contentsOf: bytes)
        table[slot] = UInt64(hash) << 32 | UInt64(id + 1)
        if spans.count * 2 > table.count { grow() }
        return (Int32(id), true)
    }

    mutating func intern(_ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { intern($0).id }
    }

    private mutating func grow() {
        let old = table
        table = Array(repeating: 0, count: old.count * 2)
        mask = table.count - 1
        for entry in old where entry != 0 {
            var slot = Int(entry >> 32) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = entry
        }
    }

    /// Calls `body` with the bytes of `id`.
    func withBytes<T>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let span = spans[Int(id)]
        let start = Int(span >> 28)
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<start + Int(span & 0xFFF_FFFF)])) }
    }

    /// The text of `id` (lossless, as `Row.text`).
    func string(_ id: Int32) -> String {
        withBytes(id) { DBText.decode($0) }
    }
}
