internal import CAccessAuditSQLite

/// The storage class SQLite holds for one value.
package enum StorageClass: Sendable, Equatable {
    case integer, real, text, blob, null
}

/// The current row of a stepping statement. Valid only while the statement stays on this row.
package struct Row {
    let handle: OpaquePointer

    /// The value's storage class. Read it before `text(_:)`, which may convert the value.
    package func storageClass(_ column: Int32) -> StorageClass {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer
        case SQLITE_FLOAT: return .real
        case SQLITE_TEXT: return .text
        case SQLITE_BLOB: return .blob
        default: return .null
        }
    }

    /// The value as a 64-bit integer (SQLite's conversion rules for other classes).
    package func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The value as text, exactly as `CAST(x AS TEXT)` gives it, or nil for NULL.
    ///
    /// Embedded NUL bytes are kept (the length comes from `sqlite3_column_bytes`, never from a C
    /// string), and bytes that are not UTF-8 are kept losslessly (see `DBText`).
    package func text(_ column: Int32) -> String? {
        if sqlite3_column_type(handle, column) == SQLITE_NULL { return nil }
        guard let pointer = sqlite3_column_text(handle, column) else {
            // NULL pointer for a non-NULL value: zero-length, or out of memory.
            return ""
        }
        let count = Int(sqlite3_column_bytes(handle, column))
        return DBText.decode(UnsafeBufferPointer(start: pointer, count: count))
    }
}

extension Row {
    /// The value as a double (SQLite's conversion rules for other classes).
    package func double(_ column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }
}

extension Row {
    /// The value's bytes as `CAST(x AS TEXT)` gives them, nil for NULL, without making a String.
    /// Valid only until the statement steps again.
    package func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        // sqlite3_column_text gives a NULL pointer exactly for NULL (and out of memory, where the
        // next step fails anyway); an empty text is a valid pointer.
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }
}
