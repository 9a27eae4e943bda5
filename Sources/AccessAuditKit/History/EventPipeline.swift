extension EventReader {
    /// The fast engine's reading of both logs in the contract's order, on this thread: each log
    /// in `event_id` order, merged and checked as it streams (`inOrder` gets SQLite's rows); if
    /// that is not time order, `reset` throws away what was applied and `EventSort` reads the
    /// logs once more and sorts them (`sorted` gets its copies). A log whose `event_id` is not
    /// always an integer is sorted by SQLite (`inOrder` again). Rows with an invalid `occurred_at`
    /// are all delivered, even after a body asked to stop.
    static func forEachRowFast(
        _ connection: Connection, logs: Logs, tuning: AuditOptions.Tuning, reset: () throws -> Void,
        inOrder: (Row, Timestamp?) throws -> Bool, sorted: (EncodedRow, Timestamp?) throws -> Bool
    ) throws {
        do {
            try forEachRowInIDOrder(connection, logs: logs, inOrder)
        } catch is OutOfOrder {
            try reset()
            let sort = EventSort(tuning: tuning)
            do {
                try sort.read(connection, logs: logs)
            } catch is EventSort.Unkeyable {
                try forEachRow(connection, logs: logs) { row in
                    try inOrder(row, row.bytes(Column.occurredAt).flatMap(Timestamp.parse))
                }
                return
            }
            try sort.forEach(sorted)
        }
    }

    /// Every row of the present logs in table order, with its parsed instant: for checking each
    /// event's own validity, which does not depend on its place (`audit`'s account log).
    static func forEachRowUnordered(_ connection: Connection, logs: Logs, _ body: (Row, Timestamp?) throws -> Void) throws {
        for (grantLog, present) in [(false, logs.accountEvents), (true, logs.grantEvents)] where present {
            let statement = try connection.prepare(idOrderQuery(connection, grantLog: grantLog, order: .any))
            while let row = try statement.step() { try body(row, row.bytes(Column.occurredAt).flatMap(Timestamp.parse)) }
        }
    }

    /// `forEachRowFast` on two threads: a reader thread steps the statements, merges (or sorts)
    /// and copies rows into batches; this thread applies them. The same rows reach `body` in the
    /// same order, and memory stays at a few batches (and the sort's budget). For `replay` and
    /// `exposure`, whose applying work is as heavy as SQLite's reading.
    static func forEachRowPipelined(
        _ connection: Connection, logs: Logs, tuning: AuditOptions.Tuning, reset: () throws -> Void,
        _ body: (BufferedRow, Timestamp?) throws -> Bool
    ) throws {
        do {
            try pipelined(body) { feed in
                try forEachRowInIDOrder(connection, logs: logs) { row, instant in try feed.add(row, instant: instant) }
            }
        } catch is OutOfOrder {
            // Every row applied so far is thrown away; the sorted way runs, pipelined too: SQLite
            // stepped on the reader thread while this one keys, sorts and spills, then the merge
            // there while this one applies.
            try reset()
            let sort = EventSort(tuning: tuning)
            var keyed = true
            do {
                try sort.read(connection, logs: logs, pipelined: true)
            } catch is EventSort.Unkeyable {
                keyed = false
            }
            try pipelined(body) { [keyed] feed in
                guard keyed else {
                    try forEachRow(connection, logs: logs) { row in
                        try feed.add(row, instant: row.bytes(Column.occurredAt).flatMap(Timestamp.parse))
                    }
                    return
                }
                // Invalid times come first, so once the applier stops nothing more is needed.
                try sort.forEach { row, instant in try feed.add(row, instant: instant) && !feed.applierStopped }
            }
        }
    }

    /// The reading side of a pipeline: copies rows into the batch being filled and sends it when full.
    final class BatchFeed {
        private let pipe: RowPipe
        private var batch: RowBatch

        init(_ pipe: RowPipe) throws {
            self.pipe = pipe
            batch = try pipe.take()
        }

        /// Whether the applier has stopped: valid rows need not be copied any more.
        var applierStopped: Bool { pipe.skipsTimed.load(ordering: .relaxed) }

        /// Copies `row` (skipped when it has a valid time and the applier has stopped); true to go on.
        func add(_ row: some RowValues, instant: Timestamp?) throws -> Bool {
            if instant != nil, applierStopped { return true }
            batch.append(row, instant: instant, nulls: row.int64(Column.log) == 0 ? Column.accountNulls : Column.grantNulls)
            if batch.isFull {
                pipe.send(batch)
                batch = try pipe.take()
            }
            return true
        }

        func flush() { pipe.send(batch) }
    }

    /// Runs `produce` on a reader thread feeding batches, and hands their rows to `body` here.
    private static func pipelined(
        _ body: (BufferedRow, Timestamp?) throws -> Bool, produce: @escaping (BatchFeed) throws -> Void
    ) throws {
        let pipe = RowPipe(columns: Column.count, numbered: [Int(Column.log), Int(Column.eventID), Int(Column.grantID)])
        let reader = BackgroundWork {
            defer { pipe.end() }
            let feed = try BatchFeed(pipe)
            defer { feed.flush() }
            try produce(feed)
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
        try reader.join()
    }
}
