/// An event row copied into bytes for `EventSort`, and read back with the same answers as the
/// live `Row` for every column (`RowValues`).
///
/// Layout, kept small because a shuffled log's rows are copied whole (and maybe spilled): the
/// total length (UInt32), then per column a tag byte (the storage class, whether a number and
/// whether text follow), then an integer as a zigzag varint (its text, the decimal digits SQLite
/// gives, is written when read back), or a real's bit pattern (8 bytes) and its text, or a text
/// (with SQLite's integer reading of it, 8 bytes, in a numbered column). A text is its length
/// (one byte below 255, else 255 and a UInt32) and its bytes.
struct EncodedRow: RowValues {
    struct Cell {
        var type: StorageClass = .null
        var number: Int64 = 0
        var text: UnsafePointer<UInt8>?
        var length = 0
    }

    private let cells: UnsafeMutablePointer<Cell>

    private static let hasNumber: UInt8 = 8, hasText: UInt8 = 16
    private static let classes: [StorageClass] = [.null, .integer, .real, .text, .blob]
    /// The columns whose text is also read as a number (as `RowPipe`'s), a bit per column.
    private static let numbered = EventReader.Column.bits([EventReader.Column.log, EventReader.Column.eventID, EventReader.Column.grantID])

    /// A row larger than the format's lengths hold (4 GiB), which SQLite's limits make impossible.
    struct TooLarge: Error {}

    @inline(__always)
    private static func code(_ type: StorageClass) -> UInt8 {
        switch type {
        case .null: 0
        case .integer: 1
        case .real: 2
        case .text: 3
        case .blob: 4
        }
    }

    /// Appends `row`'s columns to `arena`; columns in `nulls` are NULL by the query's construction.
    static func encode(_ row: some RowValues, nulls: UInt64, into arena: ByteArena) throws {
        let start = arena.count
        arena.reserve(4)
        arena.advance(4)
        for column in 0..<Int32(EventReader.Column.count) {
            let type: StorageClass = nulls & (1 << UInt64(column)) == 0 ? row.storageClass(column) : .null
            var tag = code(type)
            var number: Int64?
            var text: UnsafeBufferPointer<UInt8>?
            switch type {
            case .null: break
            case .integer:
                arena.reserve(11)
                var cursor = arena.base + arena.count
                cursor.storeBytes(of: tag, as: UInt8.self)
                cursor += 1
                // Zigzag, then 7 bits a byte.
                let value = row.int64(column)
                var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
                while rest >= 0x80 {
                    cursor.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, as: UInt8.self)
                    cursor += 1
                    rest >>= 7
                }
                cursor.storeBytes(of: UInt8(rest), as: UInt8.self)
                arena.advance(cursor + 1 - (arena.base + arena.count))
                continue
            case .real:
                number = Int64(bitPattern: row.double(column).bitPattern)
                text = row.bytes(column)
            case .text, .blob:
                if numbered & (1 << UInt64(column)) != 0 { number = row.int64(column) }
                text = row.bytes(column)
            }
            if number != nil { tag |= hasNumber }
            if text != nil { tag |= hasText }
            let length = text?.count ?? 0
            guard length < Int(UInt32.max) else { throw TooLarge() }
            arena.reserve(1 + 8 + 5 + length)
            var cursor = arena.base + arena.count
            cursor.storeBytes(of: tag, as: UInt8.self)
            cursor += 1
            if let number {
                cursor.storeBytes(of: number, toByteOffset: 0, as: Int64.self)
                cursor += 8
            }
            if let text {
                if length < 255 {
                    cursor.storeBytes(of: UInt8(length), as: UInt8.self)
                    cursor += 1
                } else {
                    cursor.storeBytes(of: UInt8(255), as: UInt8.self)
                    cursor.storeBytes(of: UInt32(length), toByteOffset: 1, as: UInt32.self)
                    cursor += 5
                }
                if let source = text.baseAddress, length > 0 { cursor.copyMemory(from: source, byteCount: length) }
                cursor += length
            }
            arena.advance(cursor - (arena.base + arena.count))
        }
        let total = arena.count - start
        guard total < Int(UInt32.max) else { throw TooLarge() }
        (arena.base + start).storeBytes(of: UInt32(total), as: UInt32.self)
    }

    /// The encoded row's length in bytes.
    @inline(__always)
    static func length(_ payload: UnsafeRawPointer) -> Int { Int(payload.loadUnaligned(as: UInt32.self)) }

    /// The parsed `occurred_at` of an encoded row (nil when invalid).
    static func instant(_ payload: UnsafeRawPointer) -> Timestamp? {
        var scratch = Scratch()
        return scratch.decode(payload).instant
    }

    var instant: Timestamp? { bytes(EventReader.Column.occurredAt).flatMap(Timestamp.parse) }

    /// The cells one row is decoded into, reused row after row, with room for each column's
    /// integer digits.
    struct Scratch: ~Copyable {
        let cells = UnsafeMutablePointer<Cell>.allocate(capacity: EventReader.Column.count)
        let digits = UnsafeMutableRawPointer.allocate(byteCount: 24 * EventReader.Column.count, alignment: 8)

        init() { cells.initialize(repeating: Cell(), count: EventReader.Column.count) }

        deinit {
            cells.deallocate()
            digits.deallocate()
        }

        /// The row at `payload`, valid until the next `decode`.
        mutating func decode(_ payload: UnsafeRawPointer) -> EncodedRow {
            var cursor = payload + 4
            for column in 0..<EventReader.Column.count {
                let tag = cursor.load(as: UInt8.self)
                cursor += 1
                var cell = Cell(type: EncodedRow.classes[Int(tag & 7)])
                if cell.type == .integer {
                    var raw: UInt64 = 0, shift: UInt64 = 0
                    while true {
                        let byte = cursor.load(as: UInt8.self)
                        cursor += 1
                        raw |= UInt64(byte & 0x7F) << shift
                        if byte < 0x80 { break }
                        shift += 7
                    }
                    cell.number = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
                    let target = digits + 24 * column
                    cell.length = DecimalText.write(cell.number, to: target)
                    cell.text = UnsafePointer(target.assumingMemoryBound(to: UInt8.self))
                    cells[column] = cell
                    continue
                }
                if tag & EncodedRow.hasNumber != 0 {
                    cell.number = cursor.loadUnaligned(as: Int64.self)
                    cursor += 8
                }
                if tag & EncodedRow.hasText != 0 {
                    let short = Int(cursor.load(as: UInt8.self))
                    if short < 255 {
                        cell.length = short
                        cursor += 1
                    } else {
                        cell.length = Int(cursor.loadUnaligned(fromByteOffset: 1, as: UInt32.self))
                        cursor += 5
                    }
                    cell.text = UnsafePointer(cursor.assumingMemoryBound(to: UInt8.self))
                    cursor += cell.length
                }
                cells[column] = cell
            }
            return EncodedRow(cells: cells)
        }
    }

    func storageClass(_ column: Int32) -> StorageClass { cells[Int(column)].type }

    func int64(_ column: Int32) -> Int64 { cells[Int(column)].number }

    func double(_ column: Int32) -> Double { Double(bitPattern: UInt64(bitPattern: cells[Int(column)].number)) }

    func text(_ column: Int32) -> String? {
        let cell = cells[Int(column)]
        guard cell.type != .null else { return nil }
        // As `Row.text`: a value SQLite gave no text for is the empty string.
        return bytes(column).map { DBText.decode($0) } ?? ""
    }

    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        let cell = cells[Int(column)]
        return cell.text.map { UnsafeBufferPointer(start: $0, count: cell.length) }
    }
}

/// An integer's decimal digits, as SQLite renders it (`%lld`).
enum DecimalText {
    /// Writes `value` at `target` (room for 20 bytes) and returns the number of bytes.
    static func write(_ value: Int64, to target: UnsafeMutableRawPointer) -> Int {
        var magnitude = value.magnitude
        var length = value < 0 ? 2 : 1
        var rest = magnitude / 10
        while rest > 0 {
            length += 1
            rest /= 10
        }
        let bytes = target.assumingMemoryBound(to: UInt8.self)
        if value < 0 { bytes[0] = UInt8(ascii: "-") }
        var position = length - 1
        repeat {
            bytes[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        return length
    }
}
