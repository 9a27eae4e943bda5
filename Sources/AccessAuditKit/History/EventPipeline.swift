import Foundation
import Synchronization

/// The columns a reader of event rows uses: a live SQLite `Row`, or a `BufferedRow` copied on
/// the reading thread of a pipeline. Both give the same answers for every column.
protocol EventRow {
    func storageClass(_ column: Int32) -> StorageClass
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func text(_ column: Int32) -> String?
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>?
}

extension Row: EventRow {}

/// Event rows copied out of SQLite (every column's storage class, number and text bytes), so one
/// thread can step the statements while another applies the rows.
final class EventBatch {
    static let columns = 14
    static let capacity = 2_048

    struct Cell {
        var type: StorageClass = .null
        /// The text bytes' length, -1 when SQLite gave no text (NULL).
        var length = -1
        var start = 0
        /// The integer, or a real's bit pattern.
        var number: Int64 = 0
    }

    private(set) var count = 0
    private let cells = UnsafeMutablePointer<Cell>.allocate(capacity: EventBatch.capacity * EventBatch.columns)
    private var bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
    private var byteCapacity = 1 << 16
    private var byteCount = 0
    private(set) var instants: [Timestamp?] = []

    init() {
        cells.initialize(repeating: Cell(), count: EventBatch.capacity * EventBatch.columns)
        instants.reserveCapacity(EventBatch.capacity)
    }

    deinit {
        cells.deinitialize(count: EventBatch.capacity * EventBatch.columns)
        cells.deallocate()
        bytes.deallocate()
    }

    var isFull: Bool { count == EventBatch.capacity }

    func removeAll() {
        count = 0
        byteCount = 0
        instants.removeAll(keepingCapacity: true)
    }

    /// Copies `row` (read in the order `Row` documents: the storage class, then the number, then
    /// the text, which may convert the value).
    func append(_ row: Row, instant: Timestamp?) {
        let base = count * EventBatch.columns
        for column in 0..<EventBatch.columns {
            let index = Int32(column)
            var cell = Cell()
            cell.type = row.storageClass(index)
            switch cell.type {
            case .null: break
            case .integer: cell.number = row.int64(index)
            case .real: cell.number = Int64(bitPattern: row.double(index).bitPattern)
            case .text, .blob:
                // Only these columns are ever read as integers (the log, event and grant ids).
                if column <= 1 || column == 4 { cell.number = row.int64(index) }
            }
            if cell.type != .null, let text = row.bytes(index) {
                reserve(text.count)
                if let source = text.baseAddress, text.count > 0 { (bytes + byteCount).update(from: source, count: text.count) }
                cell.start = byteCount
                cell.length = text.count
                byteCount += text.count
            }
            cells[base + column] = cell
        }
        instants.append(instant)
        count += 1
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
        cells[row * EventBatch.columns + Int(column)]
    }

    @inline(__always)
    fileprivate func text(of cell: Cell) -> UnsafeBufferPointer<UInt8>? {
        cell.length < 0 ? nil : UnsafeBufferPointer(start: bytes + cell.start, count: cell.length)
    }
}

/// One row of an `EventBatch`, valid until the batch is refilled.
struct BufferedRow: EventRow {
    let batch: EventBatch
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
final class EventPipe: @unchecked Sendable {
    struct Cancelled: Error {}

    private let condition = NSCondition()
    private var free: [EventBatch] = (0..<3).map { _ in EventBatch() }
    private var full: [EventBatch] = []
    private var ended = false
    private var cancelled = false
    /// Set once the applier has stopped: valid rows need not be copied any more.
    let skipsTimed = Atomic<Bool>(false)

    /// Reader: an empty batch to fill; throws `Cancelled` once the applier has given up.
    func take() throws -> EventBatch {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        return free.removeLast()
    }

    /// Reader: a filled batch (an empty one is dropped back).
    func send(_ batch: EventBatch) {
        condition.lock()
        if batch.count > 0 { full.append(batch) } else { free.append(batch) }
        condition.broadcast()
        condition.unlock()
    }

    /// Reader: nothing more will be sent.
    func end() {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    /// Applier: the next filled batch in order, nil once the reader has ended and all are taken.
    func receive() -> EventBatch? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty && !ended { condition.wait() }
        return full.isEmpty ? nil : full.removeFirst()
    }

    /// Applier: a batch it is done with.
    func giveBack(_ batch: EventBatch) {
        batch.removeAll()
        condition.lock()
        free.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// Applier: stop the reader (it throws `Cancelled` at its next batch).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

extension EventReader {
    /// `forEachRow(_:logs:reset:_:)` on two threads: a reader thread steps the statements, merges
    /// and checks the order, and copies rows into batches; this thread applies them. The same rows
    /// reach `body` in the same order, and memory stays at a few batches. For `replay` and
    /// `exposure`, whose applying work is as heavy as SQLite's reading.
    static func forEachRowPipelined(
        _ connection: Connection, logs: Logs, reset: () throws -> Void, _ body: (BufferedRow, Timestamp?) throws -> Bool
    ) throws {
        let pipe = EventPipe()
        let reader = BackgroundWork {
            defer { pipe.end() }
            var batch = try pipe.take()
            do {
                try forEachRowInIDOrder(connection, logs: logs) { row, instant in
                    // After the applier stopped, only rows with an invalid time still reach it.
                    if instant != nil, pipe.skipsTimed.load(ordering: .relaxed) { return true }
                    batch.append(row, instant: instant)
                    if batch.isFull {
                        pipe.send(batch)
                        batch = try pipe.take()
                    }
                    return true
                }
            } catch {
                pipe.send(batch)
                throw error
            }
            pipe.send(batch)
        }
        var stopped = false
        do {
            while let batch = pipe.receive() {
                for index in 0..<batch.count {
                    let instant = batch.instants[index]
                    guard instant == nil || !stopped else { continue }
                    if try !body(BufferedRow(batch: batch, index: index), instant), instant != nil {
                        stopped = true
                        pipe.skipsTimed.store(true, ordering: .relaxed)
                    }
                }
                pipe.giveBack(batch)
            }
        } catch {
            pipe.cancel()
            _ = try? reader.join()
            throw error
        }
        do {
            try reader.join()
        } catch is OutOfOrder {
            // Every row applied so far is thrown away; the exact, sorted way runs here.
            try reset()
            let single = EventBatch()
            try forEachRow(connection, logs: logs) { row in
                single.removeAll()
                let instant = row.bytes(Column.occurredAt).flatMap(Timestamp.parse)
                single.append(row, instant: instant)
                return try body(BufferedRow(batch: single, index: 0), instant)
            }
        }
    }
}
