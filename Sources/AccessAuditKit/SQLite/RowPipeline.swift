import Foundation
import Synchronization

/// What the fast engine reads of a row: a live SQLite `Row`, or a `BufferedRow` copied on the
/// reading thread of a pipeline. Both give the same answers for every column.
protocol RowValues {
    func storageClass(_ column: Int32) -> StorageClass
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func text(_ column: Int32) -> String?
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>?
}

extension Row: RowValues {}

/// Rows copied out of SQLite (every column's storage class, number and text bytes), so one
/// thread can step a statement while another uses the rows.
final class RowBatch {
    static let capacity = 2_048
    let columns: Int
    /// The columns whose text values are also read as integers (their number is kept too).
    private let numbered: [Bool]

    struct Cell {
        var type: StorageClass = .null
        /// The text bytes' length, -1 when SQLite gave no text (NULL).
        var length = -1
        var start = 0
        /// The integer, or a real's bit pattern.
        var number: Int64 = 0
    }

    private(set) var count = 0
    private let cells: UnsafeMutablePointer<Cell>
    private var bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
    private var byteCapacity = 1 << 16
    private var byteCount = 0
    /// Each row's parsed `occurred_at`, for event rows (`append(_:instant:)`).
    private(set) var instants: [Timestamp?] = []

    init(columns: Int, numbered: Set<Int> = []) {
        self.columns = columns
        self.numbered = (0..<columns).map { numbered.contains($0) }
        cells = UnsafeMutablePointer<Cell>.allocate(capacity: RowBatch.capacity * columns)
        cells.initialize(repeating: Cell(), count: RowBatch.capacity * columns)
    }

    deinit {
        cells.deinitialize(count: RowBatch.capacity * columns)
        cells.deallocate()
        bytes.deallocate()
    }

    var isFull: Bool { count == RowBatch.capacity }

    func removeAll() {
        count = 0
        byteCount = 0
        instants.removeAll(keepingCapacity: true)
    }

    /// Copies `row` with its parsed instant (event rows). Columns in `nulls` (a bit per column)
    /// are NULL by construction of the query and are not asked for.
    func append(_ row: some RowValues, instant: Timestamp?, nulls: UInt64 = 0) {
        instants.append(instant)
        append(row, nulls: nulls)
    }

    /// Copies `row` (read in the order `Row` documents: the storage class, then the number, then
    /// the text, which may convert the value).
    func append(_ row: some RowValues, nulls: UInt64 = 0) {
        let base = count * columns
        for column in 0..<columns {
            let index = Int32(column)
            var cell = Cell()
            if nulls & (1 << UInt64(column)) == 0 { cell.type = row.storageClass(index) }
            switch cell.type {
            case .null: break
            case .integer:
                // SQLite's text of an integer is its decimal digits: written here, not asked for.
                cell.number = row.int64(index)
                appendDecimal(cell.number, into: &cell)
            case .real:
                cell.number = Int64(bitPattern: row.double(index).bitPattern)
                appendText(row.bytes(index), into: &cell)
            case .text, .blob:
                if numbered[column] { cell.number = row.int64(index) }
                appendText(row.bytes(index), into: &cell)
            }
            cells[base + column] = cell
        }
        count += 1
    }

    private func appendText(_ text: UnsafeBufferPointer<UInt8>?, into cell: inout Cell) {
        guard let text else { return }
        reserve(text.count)
        if let source = text.baseAddress, text.count > 0 { (bytes + byteCount).update(from: source, count: text.count) }
        cell.start = byteCount
        cell.length = text.count
        byteCount += text.count
    }

    /// `value` in decimal, as SQLite renders an integer (`%lld`).
    private func appendDecimal(_ value: Int64, into cell: inout Cell) {
        reserve(20)
        cell.start = byteCount
        cell.length = DecimalText.write(value, to: bytes + byteCount)
        byteCount += cell.length
    }

    private func reserve(_ extra: Int) {
        guard byteCount + extra > byteCapacity else { return }
        var capacity = byteCapacity * 2
        while capacity < byteCount + extra { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }

    @inline(__always)
    fileprivate func cell(_ row: Int, _ column: Int32) -> Cell {
        cells[row * columns + Int(column)]
    }

    @inline(__always)
    fileprivate func text(of cell: Cell) -> UnsafeBufferPointer<UInt8>? {
        cell.length < 0 ? nil : UnsafeBufferPointer(start: bytes + cell.start, count: cell.length)
    }
}

/// One row of a `RowBatch`, valid until the batch is refilled.
struct BufferedRow: RowValues {
    let batch: RowBatch
    let index: Int

    func storageClass(_ column: Int32) -> StorageClass { batch.cell(index, column).type }

    func int64(_ column: Int32) -> Int64 { batch.cell(index, column).number }

    func double(_ column: Int32) -> Double { Double(bitPattern: UInt64(bitPattern: batch.cell(index, column).number)) }

    func text(_ column: Int32) -> String? {
        let cell = batch.cell(index, column)
        guard cell.type != .null else { return nil }
        // As `Row.text`: a value SQLite gave no text for is the empty string.
        return batch.text(of: cell).map { DBText.decode($0) } ?? ""
    }

    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? { batch.text(of: batch.cell(index, column)) }
}

/// Hands batches from the reading thread to the applying one: a few batches circulate, so
/// memory stays fixed whatever the number of events.
final class RowPipe: Sendable {
    struct Cancelled: Error {}

    private struct State {
        var free: [RowBatch]
        var full: [RowBatch] = []
        var ended = false
        var cancelled = false
    }

    /// The batches change hands under the monitor's lock: a batch is used by one thread at a time.
    private let state: Monitor<State>
    /// Set once the applier has stopped: valid rows need not be copied any more (events). A hint
    /// read on every row, so an atomic rather than the lock.
    let skipsTimed = Atomic<Bool>(false)

    init(columns: Int, numbered: Set<Int> = []) {
        state = Monitor(State(free: (0..<3).map { _ in RowBatch(columns: columns, numbered: numbered) }))
    }

    /// Reader: an empty batch to fill; throws `Cancelled` once the applier has given up.
    func take() throws -> RowBatch {
        let batch: RowBatch? = state.wait { state in
            if state.cancelled { return .some(nil) }
            return state.free.isEmpty ? nil : .some(state.free.removeLast())
        }
        guard let batch else { throw Cancelled() }
        return batch
    }

    /// Reader: a filled batch (an empty one is dropped back).
    func send(_ batch: RowBatch) {
        state.update { state in
            if batch.count > 0 { state.full.append(batch) } else { state.free.append(batch) }
        }
    }

    /// Reader: nothing more will be sent.
    func end() {
        state.update { $0.ended = true }
    }

    /// Applier: the next filled batch in order, nil once the reader has ended and all are taken.
    func receive() -> RowBatch? {
        state.wait { state in
            if !state.full.isEmpty { return .some(state.full.removeFirst()) }
            return state.ended ? .some(nil) : nil
        }
    }

    /// Applier: a batch it is done with.
    func giveBack(_ batch: RowBatch) {
        batch.removeAll()
        state.update { $0.free.append(batch) }
    }

    /// Applier: stop the reader (it throws `Cancelled` at its next batch).
    func cancel() {
        state.update { $0.cancelled = true }
    }
}


extension Statement {
    /// Every row, as `forEachRow`, but stepped on a second thread that copies `columns` columns
    /// of each into circulating batches while `body` runs here. The statement is used by that
    /// thread only until this returns.
    /// `numbered` columns keep SQLite's integer reading of a text; `nulls` (a bit per column) are
    /// NULL by the query's construction and not asked for.
    func forEachRowPipelined(
        columns: Int, numbered: Set<Int> = [], nulls: UInt64 = 0, _ body: (BufferedRow) throws -> Void
    ) throws {
        let pipe = RowPipe(columns: columns, numbered: numbered)
        let reader = BackgroundWork { [self] in
            defer { pipe.end() }
            var batch = try pipe.take()
            while let row = try step() {
                batch.append(row, nulls: nulls)
                if batch.isFull {
                    pipe.send(batch)
                    batch = try pipe.take()
                }
            }
            pipe.send(batch)
        }
        do {
            while let batch = pipe.receive() {
                for index in 0..<batch.count { try body(BufferedRow(batch: batch, index: index)) }
                pipe.giveBack(batch)
            }
        } catch {
            pipe.cancel()
            _ = try? reader.join()
            throw error
        }
        try reader.join()
    }
}
