internal import CAccessAuditSQLite
import Foundation
import Synchronization

/// Counts the rows a command has read, across every statement and connection it is given to, so
/// a progress line can show them from another thread. Counting costs one relaxed atomic add per
/// 1,024 rows (statements count locally in between).
package final class RowCounter: Sendable {
    private let rows = Atomic<Int>(0)

    package init() {}

    /// Rows read so far.
    package var count: Int { rows.load(ordering: .relaxed) }

    func add(_ count: Int) {
        rows.wrappingAdd(count, ordering: .relaxed)
    }
}

extension Connection {
    /// The rows the contract tables hold (`accounts`, `grants` and both logs, those present), for
    /// the progress line, handed to `done` once counted. A file is counted on a second connection
    /// on a thread of its own (counting 50 million rows takes seconds, and the audit should not
    /// wait for it), returned to be joined: `RowCount.finish()` interrupts the count if it is still
    /// running. Anything else is counted here (nil). A missing table counts nothing.
    package func countContractRows(_ done: @escaping @Sendable (Int) -> Void) -> RowCount? {
        guard let sibling = try? sibling() else {
            done(contractRowCount())
            return nil
        }
        sibling.rowCounter = nil
        nonisolated(unsafe) let counter = sibling
        let finished = Monitor(false)
        let work = BackgroundWork {
            done(counter.contractRowCount())
            finished.update { $0 = true }
        }
        return RowCount(connection: sibling, work: work, finished: finished)
    }

    func contractRowCount() -> Int {
        var total = 0
        for table in ["accounts", "grants", "grant_events", "account_events"] {
            try? prepare("SELECT count(*) FROM \(table)").forEachRow { total += Int($0.int64(0)) }
        }
        return total
    }
}

/// A row count running on its own connection and thread (`Connection.countContractRows`).
package final class RowCount: @unchecked Sendable {
    private let connection: Connection
    private let work: BackgroundWork
    private let finished: Monitor<Bool>

    init(connection: Connection, work: BackgroundWork, finished: Monitor<Bool>) {
        self.connection = connection
        self.work = work
        self.finished = finished
    }

    /// Stops the count if it is still running (SQLite's interrupt is safe from any thread; it
    /// ends the statement running, so it is repeated until the last table's is done) and waits
    /// for its thread.
    package func finish() {
        while finished.wait(seconds: 0.01, until: { $0 ? true : nil }) == nil { connection.interrupt() }
        try? work.join()
    }
}

extension Connection {
    /// Makes the statement running on this connection stop at its next step (from any thread).
    func interrupt() {
        sqlite3_interrupt(handle)
    }
}
