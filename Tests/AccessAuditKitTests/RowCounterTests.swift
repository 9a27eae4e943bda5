@testable import AccessAuditKit
import Testing

/// The row count behind the progress line: every row stepped, through either way of stepping.
struct RowCounterTests {
    @Test("A RowCounter sees every row read, by forEachRow and by step, past its batching")
    func countsEveryRow() throws {
        let connection = try Connection()
        try connection.execute("CREATE TABLE t(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) INSERT INTO t SELECT i FROM n")
        let counter = RowCounter()
        connection.rowCounter = counter
        try connection.prepare("SELECT x FROM t").forEachRow { _ in }
        #expect(counter.count == 2_500)
        let statement = try connection.prepare("SELECT x FROM t WHERE x <= 1030")
        while try statement.step() != nil {}
        #expect(counter.count == 3_530)
    }

    @Test("Without a counter nothing is counted and nothing breaks")
    func noCounter() throws {
        let connection = try Connection()
        try connection.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)")
        var rows = 0
        try connection.prepare("SELECT x FROM t").forEachRow { _ in rows += 1 }
        #expect(rows == 2)
    }
}
