internal import CAccessAuditSQLite

extension Connection {
    /// Reads the database file behind `schema` (`main`, or an attached name) from start to end
    /// through SQLite's own open file handle, handing each chunk to `chunk`; returns its size.
    ///
    /// Through SQLite's handle, never a descriptor of our own: on POSIX, closing any descriptor of a
    /// file drops every lock the process holds on it (sqlite.org, "How To Corrupt An SQLite
    /// Database File", §2.2), so a descriptor opened and closed beside a read transaction would let
    /// a writer commit in the middle of the audit. It is also the very file SQLite reads, even if
    /// the path was renamed over meanwhile. The unix VFS reads with `pread`, so this may run on
    /// another thread while the connection is used; nil when the schema has no file (in memory).
    func readDatabaseFile(schema: String = "main", _ chunk: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64? {
        var pointer: UnsafeMutableRawPointer?
        let rc = sqlite3_file_control(handle, schema, SQLITE_FCNTL_FILE_POINTER, &pointer)
        guard rc == SQLITE_OK, let file = pointer?.assumingMemoryBound(to: sqlite3_file.self),
            let methods = file.pointee.pMethods, let xRead = methods.pointee.xRead,
            let xFileSize = methods.pointee.xFileSize
        else { return nil }
        var size: sqlite3_int64 = 0
        let sizeRC = xFileSize(file, &size)
        guard sizeRC == SQLITE_OK else { throw SQLiteError(code: sizeRC, message: "cannot read the database file's size") }
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var offset: sqlite3_int64 = 0
        while offset < size {
            let count = Int(min(sqlite3_int64(capacity), size - offset))
            let readRC = xRead(file, buffer.baseAddress, Int32(count), offset)
            guard readRC == SQLITE_OK else {
                throw SQLiteError(code: readRC, message: "cannot read the database file at byte \(offset)")
            }
            try chunk(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += sqlite3_int64(count)
        }
        return size
    }
}
