@testable import AccessAuditKit
import Testing

/// The index check's digest computed inside SQLite (`access_audit_rowsum`) against the same
/// digest computed row by row through the API, and the function's confinement.
struct RowSumTests {
    static let table = """
        CREATE TABLE t(a, b, c);
        INSERT INTO t VALUES (1, 'x', NULL), (2, 2.5, x'41FF00'), (-9223372036854775808, '', 'a' || char(0) || 'b'),
            (1e20, x'', 7), ('1', 1, '1'), (NULL, NULL, NULL), (1, 'x', NULL);
        """

    static func sums(_ connection: Connection, limit: Int?, shapes: [[String]]) throws -> [DatabaseAudit.RowSum] {
        try DatabaseAudit.withRowSumFunction(connection) {
            try DatabaseAudit.rowSums(connection, from: "t NOT INDEXED", shapes: shapes.count, limit: limit) { shapes[$0] }
        }
    }

    @Test("Inside SQLite and through the API, every storage class sums the same; a changed value or type changes it")
    func sameBothWays() throws {
        let connection = try Connection()
        try connection.executeScript(Self.table)
        let shapes = [["a"], ["a", "b", "c"], ["c", "rowid"], ["b", "a"]]
        let inside = try Self.sums(connection, limit: nil, shapes: shapes)
        let through = try Self.sums(connection, limit: 0, shapes: shapes)
        #expect(inside == through)
        #expect(inside.allSatisfy { $0.count == 7 })
        #expect(Set(inside.map(\.sum)).count == shapes.count, "column order and choice are part of the digest")
        // 1 and '1', 2.5 and '2.5', x'' and '' have one text but not one storage class.
        for change in ["UPDATE t SET a = '1' WHERE rowid = 1", "UPDATE t SET b = '2.5' WHERE rowid = 2",
                       "UPDATE t SET b = '' WHERE rowid = 4", "UPDATE t SET c = 'a' WHERE rowid = 3"] {
            let changed = try Connection()
            try changed.executeScript(Self.table + change + ";")
            let after = try Self.sums(changed, limit: nil, shapes: [["a", "b", "c"]])
            #expect(after == (try Self.sums(changed, limit: 0, shapes: [["a", "b", "c"]])))
            #expect(after[0] != inside[1], "\(change)")
        }
    }

    @Test("The empty table sums to zero both ways")
    func empty() throws {
        let connection = try Connection()
        try connection.executeScript("CREATE TABLE t(a);")
        #expect(try Self.sums(connection, limit: nil, shapes: [["a"]]) == [DatabaseAudit.RowSum()])
        #expect(try Self.sums(connection, limit: 0, shapes: [["a"]]) == [DatabaseAudit.RowSum()])
    }

    @Test("The file's own views and triggers cannot call access_audit_rowsum, and it is gone after the check")
    func confined() throws {
        let connection = try Connection()
        try connection.executeScript(Self.table + """
            CREATE VIEW v AS SELECT access_audit_rowsum(a) AS s FROM t;
            CREATE TABLE log(x); CREATE TRIGGER tr AFTER INSERT ON log BEGIN SELECT access_audit_rowsum(1); END;
            """)
        try DatabaseAudit.withRowSumFunction(connection) {
            try connection.execute("SELECT \(DatabaseAudit.rowSumFunction)(a) FROM t")
            #expect(throws: SQLiteError.self) { try connection.execute("SELECT s FROM v") }
            #expect(throws: SQLiteError.self) { try connection.execute("INSERT INTO log VALUES (1)") }
        }
        #expect(throws: SQLiteError.self) { try connection.execute("SELECT access_audit_rowsum(a) FROM t") }
    }
}
