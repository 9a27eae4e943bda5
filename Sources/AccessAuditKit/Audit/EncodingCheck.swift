internal import CAccessAuditSQLite

extension DatabaseAudit {
    /// A database whose text encoding is UTF-16 is read as UTF-8, which SQLite converts to. The
    /// conversion is exact for valid UTF-16, but not for a lone surrogate: SQLite folds it with
    /// the unit after it, so `X'00D84100'` and `X'00D841DC'`, two organisation ids to SQLite's own
    /// joins, would read as the same id, and the account would resolve to whichever row came
    /// first. Before a row is trusted, every text value of the contract's tables in such a file is
    /// checked to be valid UTF-16; one that is not is exit 2 naming the table and column. A UTF-8
    /// database (every database `.sql` input or `--map` makes) needs no check.
    static func checkEncoding(_ connection: Connection, database: String) throws {
        var encoding = "UTF-8"
        try connection.prepare("PRAGMA encoding").forEachRow { encoding = $0.text(0) ?? encoding }
        guard encoding.uppercased().hasPrefix("UTF-16") else { return }
        for table in ContractSchema.tables {
            var present = false
            let columns = try connection.prepare(ContractSchema.columnsSQL)
            try columns.bind(table.name, at: 1)
            try columns.forEachRow { _ in present = true }
            guard present else { continue }
            let statement = try connection.prepare(
                "SELECT " + table.columns.map { "\"\($0)\"" }.joined(separator: ", ") + " FROM \(table.name)")
            while let row = try statement.step() {
                for (index, column) in table.columns.enumerated() where row.storageClass(Int32(index)) == .text {
                    guard row.isValidUTF16(Int32(index)) else {
                        throw AuditError.unverifiable(
                            database,
                            "\(table.name).\(column) holds text that is not valid UTF-16 (a lone surrogate), which cannot be read exactly")
                    }
                }
            }
        }
    }
}

extension Row {
    /// Whether a text value, in the database's UTF-16 form, pairs every surrogate.
    func isValidUTF16(_ column: Int32) -> Bool {
        guard let raw = sqlite3_column_text16(handle, column) else { return true }
        let units = UnsafeBufferPointer(
            start: raw.assumingMemoryBound(to: UInt16.self), count: Int(sqlite3_column_bytes16(handle, column)) / 2)
        var index = 0
        while index < units.count {
            let unit = units[index]
            if unit & 0xFC00 == 0xD800 {
                guard index + 1 < units.count, units[index + 1] & 0xFC00 == 0xDC00 else { return false }
                index += 2
            } else if unit & 0xFC00 == 0xDC00 {
                return false
            } else {
                index += 1
            }
        }
        return true
    }
}
