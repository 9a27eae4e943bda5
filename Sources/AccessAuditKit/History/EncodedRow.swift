/// An event row copied into bytes for `EventSort`, and read back with the same answers as the
/// live `Row` for every column (`RowValues`).
///
/// Layout: the total length (UInt32), then per column a tag byte (the storage class, whether a
/// number and whether text follow), the number (8 bytes: an integer, a real's bit pattern, or
/// SQLite's integer reading of a text in a numbered column) and the text (UInt32 length, bytes).
/// An integer's text is its decimal digits, written here rather than asked of SQLite.
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
    /// The columns whose text is also read as a number (as `RowPipe`'s).
    private static let numbered: Set<Int32> = [EventReader.Column.log, EventReader.Column.eventID, EventReader.Column.grantID]

    /// A row larger than the format's lengths hold (4 GiB), which SQLite's limits make impossible.
    struct TooLarge: Error {}

    /// Appends `row`'s columns to `arena`; columns in `nulls` are NULL by the query's construction.
    static func encode(_ row: Row, nulls: UInt64, into arena: ByteArena) throws {
        let start = arena.count
        arena.reserve(4)
        arena.advance(4)
        for column in 0..<Int32(EventReader.Column.count) {
            let type: StorageClass = nulls & (1 << UInt64(column)) == 0 ? row.storageClass(column) : .null
            var tag = code(type)
            var number: Int64?
            var text: UnsafeBufferPointer<UInt8>?
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
            var digitCount = 0
            switch type {
            case .null: break
            case .integer:
                number = row.int64(column)
                digitCount = withUnsafeMutableBytes(of: &digits) { DecimalText.write(number ?? 0, to: $0.baseAddress!) }
            case .real:
                number = Int64(bitPattern: row.double(column).bitPattern)
                text = row.bytes(column)
            case .text, .blob:
                if numbered.contains(column) { number = row.int64(column) }
                text = row.bytes(column)
            }
            if number != nil { tag |= hasNumber }
            if text != nil || type == .integer { tag |= hasText }
            arena.reserve(1 + 8 + 4 + max(digitCount, text?.count ?? 0))
            var cursor = arena.base + arena.count
            cursor.storeBytes(of: tag, as: UInt8.self)
            cursor += 1
            if let number {
                cursor.storeBytes(of: number, toByteOffset: 0, as: Int64.self)
                cursor += 8
            }
            if type == .integer {
                cursor.storeBytes(of: UInt32(digitCount), as: UInt32.self)
                withUnsafeBytes(of: &digits) { (cursor + 4).copyMemory(from: $0.baseAddress!, byteCount: digitCount) }
                cursor += 4 + digitCount
            } else if let text {
                guard text.count < Int(UInt32.max) else { throw TooLarge() }
                cursor.storeBytes(of: UInt32(text.count), as: UInt32.self)
                if let source = text.baseAddress, text.count > 0 { (cursor + 4).copyMemory(from: source, byteCount: text.count) }
                cursor += 4 + text.count
            }
            arena.advance(cursor - (arena.base + arena.count))
        }
        let total = arena.count - start
        guard total < Int(UInt32.max) else { throw TooLarge() }
        (arena.base + start).storeBytes(of: UInt32(total), as: UInt32.self)
    }

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

    /// The encoded row's length in bytes.
    @inline(__always)
    static func length(_ payload: UnsafeRawPointer) -> Int { Int(payload.loadUnaligned(as: UInt32.self)) }

    /// The parsed `occurred_at` of an encoded row (nil when invalid).
    static func instant(_ payload: UnsafeRawPointer) -> Timestamp? {
        var scratch = Scratch()
        return scratch.decode(payload).instant
    }

    var instant: Timestamp? { bytes(EventReader.Column.occurredAt).flatMap(Timestamp.parse) }

    /// The cells one row is decoded into, reused row after row.
    struct Scratch: ~Copyable {
        let cells = UnsafeMutablePointer<Cell>.allocate(capacity: EventReader.Column.count)

        init() { cells.initialize(repeating: Cell(), count: EventReader.Column.count) }

        deinit { cells.deallocate() }

        /// The row at `payload`, valid until the next `decode`.
        mutating func decode(_ payload: UnsafeRawPointer) -> EncodedRow {
            var cursor = payload + 4
            for column in 0..<EventReader.Column.count {
                let tag = cursor.load(as: UInt8.self)
                cursor += 1
                var cell = Cell(type: EncodedRow.classes[Int(tag & 7)])
                if tag & EncodedRow.hasNumber != 0 {
                    cell.number = cursor.loadUnaligned(as: Int64.self)
                    cursor += 8
                }
                if tag & EncodedRow.hasText != 0 {
                    cell.length = Int(cursor.loadUnaligned(as: UInt32.self))
                    cell.text = (cursor + 4).assumingMemoryBound(to: UInt8.self)
                    cursor += 4 + cell.length
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
