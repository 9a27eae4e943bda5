import Foundation
import Synchronization

/// Counts the rows a command has read, across every statement and connection it is given to, so
/// a progress line can show them from another thread. Counting costs one relaxed atomic add per
/// 1,024 rows (statements count locally in between).
public final class RowCounter: Sendable {
    private let rows = Atomic<Int>(0)

    public init() {}

    /// Rows read so far.
    public var count: Int { rows.load(ordering: .relaxed) }

    func add(_ count: Int) {
        rows.wrappingAdd(count, ordering: .relaxed)
    }
}

extension Connection {
    /// The rows the contract tables hold (`accounts`, `grants` and both logs, those present), for
    /// the progress line, handed to `done` once counted. A file is counted on a second connection
    /// on its own thread (counting 50 million rows takes seconds, and the audit should not wait
    /// for it); anything else is counted here. A missing table counts nothing.
    public func countContractRows(_ done: @escaping @Sendable (Int) -> Void) {
        guard let sibling = try? sibling() else {
            done(contractRowCount())
            return
        }
        sibling.rowCounter = nil
        nonisolated(unsafe) let counter = sibling
        Thread.detachNewThread { done(counter.contractRowCount()) }
    }

    func contractRowCount() -> Int {
        var total = 0
        for table in ["accounts", "grants", "grant_events", "account_events"] {
            try? prepare("SELECT count(*) FROM \(table)").forEachRow { total += Int($0.int64(0)) }
        }
        return total
    }
}
