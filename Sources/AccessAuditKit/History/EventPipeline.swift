import Foundation

extension EventReader {
    /// `forEachRow(_:logs:reset:_:)` on two threads: a reader thread steps the statements, merges
    /// and checks the order, and copies rows into batches; this thread applies them. The same rows
    /// reach `body` in the same order, and memory stays at a few batches. For `replay` and
    /// `exposure`, whose applying work is as heavy as SQLite's reading.
    static func forEachRowPipelined(
        _ connection: Connection, logs: Logs, reset: () throws -> Void, _ body: (BufferedRow, Timestamp?) throws -> Bool
    ) throws {
        // The columns the merged query fills with NULL for each log (see forEachRowInIDOrder).
        let accountNulls = Column.bits([Column.grantID, Column.level, Column.scopeOrgID, Column.approvedBy, Column.expiresAt])
        let grantNulls = Column.bits([Column.orgID, Column.status])
        let pipe = RowPipe(columns: Column.count, numbered: [Int(Column.log), Int(Column.eventID), Int(Column.grantID)])
        let reader = BackgroundWork {
            defer { pipe.end() }
            var batch = try pipe.take()
            do {
                try forEachRowInIDOrder(connection, logs: logs) { row, instant in
                    // After the applier stopped, only rows with an invalid time still reach it.
                    if instant != nil, pipe.skipsTimed.load(ordering: .relaxed) { return true }
                    batch.append(row, instant: instant, nulls: row.int64(Column.log) == 0 ? accountNulls : grantNulls)
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
            let single = RowBatch(columns: Column.count)
            try forEachRow(connection, logs: logs) { row in
                single.removeAll()
                let instant = row.bytes(Column.occurredAt).flatMap(Timestamp.parse)
                single.append(row, instant: instant)
                return try body(BufferedRow(batch: single, index: 0), instant)
            }
        }
    }
}
