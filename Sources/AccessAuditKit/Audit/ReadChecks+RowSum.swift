internal import CAccessAuditSQLite

extension DatabaseAudit {
    /// An order-independent digest of a multiset of rows: the count and the wrapping sum of a
    /// keyed hash of each row's values (storage class, then the integer or the `CAST(x AS TEXT)`
    /// bytes). The hash is Swift's `Hasher`, seeded at random per process: a file cannot be made
    /// to collide.
    struct RowSum: Equatable {
        var count: Int64 = 0
        var sum: UInt64 = 0

        /// One row's hash, from its values' storage classes, integers and text bytes.
        @inline(__always)
        static func hash(
            columns: Int, type: (Int) -> Int32, integer: (Int) -> Int64, text: (Int) -> UnsafeBufferPointer<UInt8>?
        ) -> UInt64 {
            var hasher = Hasher()
            for column in 0..<columns {
                let storage = type(column)
                hasher.combine(storage)
                if storage == SQLITE_INTEGER {
                    hasher.combine(integer(column))
                } else if let bytes = text(column) {
                    hasher.combine(bytes.count)
                    hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
                }
            }
            return UInt64(bitPattern: Int64(hasher.finalize()))
        }

        /// Adds one row of a statement (`columns` of it), read through the API: for an index wider
        /// than SQLite lets a function take arguments.
        mutating func add(_ row: Row, _ columns: [Int32]) {
            count += 1
            sum &+= RowSum.hash(
                columns: columns.count, type: { sqlite3_column_type(row.handle, columns[$0]) },
                integer: { row.int64(columns[$0]) }, text: { row.bytes(columns[$0]) })
        }
    }

    /// The SQL aggregate `access_audit_rowsum(x, ...)`: `RowSum.sum` of its argument rows,
    /// computed inside SQLite, so no row crosses the API. Registered on `connection` for `body`
    /// only, `SQLITE_DIRECTONLY` (the file's own views, triggers, CHECKs, defaults, indexes and
    /// generated columns cannot call it), then removed.
    static func withRowSumFunction<T>(_ connection: Connection, _ body: () throws -> T) throws -> T {
        let name = rowSumFunction
        let rc = sqlite3_create_function_v2(
            connection.handle, name, -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, nil, nil,
            { context, count, values in
                guard let slot = sqlite3_aggregate_context(context, Int32(MemoryLayout<UInt64>.size)), let values else {
                    sqlite3_result_error_nomem(context)
                    return
                }
                let sum = slot.assumingMemoryBound(to: UInt64.self)
                sum.pointee &+= RowSum.hash(
                    columns: Int(count), type: { sqlite3_value_type(values[$0]) },
                    integer: { sqlite3_value_int64(values[$0]) },
                    text: { column in
                        // As `Row.bytes`: the text pointer first (it may convert), then the length.
                        guard let text = sqlite3_value_text(values[column]) else { return nil }
                        return UnsafeBufferPointer(start: text, count: Int(sqlite3_value_bytes(values[column])))
                    })
            },
            { context in
                // No step (no rows): the empty sum; the context is not allocated for it.
                let slot = sqlite3_aggregate_context(context, 0)
                sqlite3_result_int64(context, Int64(bitPattern: slot?.assumingMemoryBound(to: UInt64.self).pointee ?? 0))
            }, nil)
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc))) }
        defer { _ = sqlite3_create_function_v2(connection.handle, name, -1, SQLITE_UTF8, nil, nil, nil, nil, nil) }
        return try body()
    }

    static let rowSumFunction = "access_audit_rowsum"

    /// How many arguments a function may take on `connection` (an index wider than this is
    /// summed through the API instead).
    static func functionArgumentLimit(_ connection: Connection) -> Int {
        Int(sqlite3_limit(connection.handle, SQLITE_LIMIT_FUNCTION_ARG, -1))
    }

    /// The digests of `shapes` (one per index, from the table's rows or from each index's
    /// entries), each computed by `access_audit_rowsum` in one statement per pass, or through the
    /// API for a shape wider than `limit` (the connection's limit on a function's arguments; the
    /// tests lower it to hold the two ways to each other). `source` is the FROM clause;
    /// `columns(i)` the select list of shape i.
    static func rowSums(
        _ connection: Connection, from source: String, shapes: Int, limit: Int? = nil, columns: (Int) -> [String]
    ) throws -> [RowSum] {
        let limit = limit ?? functionArgumentLimit(connection)
        let inside = (0..<shapes).filter { columns($0).count <= limit }
        var sums = Array(repeating: RowSum(), count: shapes)
        let list = inside.map { "\(rowSumFunction)(\(columns($0).isEmpty ? "NULL" : columns($0).joined(separator: ", ")))" }
        try connection.prepare("SELECT count(*)\(list.map { ", " + $0 }.joined()) FROM \(source)").forEachRow { row in
            for (offset, shape) in inside.enumerated() {
                sums[shape] = RowSum(count: row.int64(0), sum: UInt64(bitPattern: row.int64(Int32(offset + 1))))
            }
        }
        // One statement per wide shape: a value read for one shape is converted to text, and its
        // storage class is SQLite's to change after that, so no column serves two shapes.
        for shape in (0..<shapes) where columns(shape).count > limit {
            let statement = try connection.prepare("SELECT \(columns(shape).joined(separator: ", ")) FROM \(source)")
            let at = Array(0..<Int32(columns(shape).count))
            while let row = try statement.step() { sums[shape].add(row, at) }
        }
        return sums
    }
}
