internal import CAccessAuditSQLite
import Foundation

extension Connection {
    /// Runs a trusted script of many statements (the bundled schema, fixtures, the generator).
    package func executeScript(_ script: String) throws {
        try executeScript(bytes: Array(script.utf8), authorizing: false)
    }

    /// Runs `bytes`, a `.sql` input or a `--map` file, exactly as they are: no byte is decoded,
    /// replaced or dropped (SQLite keeps text bytes as given, valid UTF-8 or not), and the script
    /// runs under `ScriptAuthorizer`, which refuses everything a dump does not need. A NUL byte
    /// is refused before anything runs: SQL text cannot hold one, and SQLite would stop there.
    /// `temporaryObjects`: a map's temp views (a `.sql` input may make none: see `ScriptAuthorizer`).
    package func loadUntrustedScript(_ bytes: [UInt8], temporaryObjects: Bool) throws {
        try executeScript(bytes: bytes, authorizing: true, temporaryObjects: temporaryObjects)
    }

    private func executeScript(bytes script: [UInt8], authorizing: Bool, temporaryObjects: Bool = false) throws {
        var bytes = script
        bytes.append(0)
        try bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress, let found = memchr(base, 0, buffer.count - 1) {
                throw ScriptError(
                    line: Connection.line(of: UnsafeRawPointer(base).distance(to: found), in: buffer, skippingBlanks: false),
                    underlying: SQLiteError(
                        code: SQLITE_ERROR, message: "a NUL byte, which SQL text cannot hold (write it as x'00' or char(0))"))
            }
            let authorizer = ScriptAuthorizer(temporaryObjects: temporaryObjects)
            if authorizing {
                sqlite3_set_authorizer(
                    handle,
                    { context, action, first, second, database, _ in
                        guard let context else { return SQLITE_DENY }
                        let authorizer = Unmanaged<ScriptAuthorizer>.fromOpaque(context).takeUnretainedValue()
                        return authorizer.allow(action, first.map { String(cString: $0) }, second.map { String(cString: $0) },
                            database.map { String(cString: $0) }) ? SQLITE_OK : SQLITE_DENY
                    }, Unmanaged.passUnretained(authorizer).toOpaque())
            }
            defer { if authorizing { sqlite3_set_authorizer(handle, nil, nil) } }
            guard let base = buffer.baseAddress else { return }
            try base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { start in
                var cursor = start
                while start.distance(to: cursor) < buffer.count - 1 {
                    // The progress handler counts steps within one statement: a dump of many
                    // short ones is held to the deadline here.
                    if let deadline = limits.deadline, deadline.hasPassed {
                        throw ScriptError(
                            line: Connection.line(of: start.distance(to: cursor), in: buffer, skippingBlanks: true),
                            underlying: SQLiteError(code: SQLITE_INTERRUPT, message: deadline.message))
                    }
                    var statement: OpaquePointer?
                    var tail: UnsafePointer<CChar>?
                    // An explicit length, counting the terminating NUL: SQLite reads no further, and
                    // (seeing the NUL) parses in place instead of copying the rest of the script
                    // for every statement.
                    let remaining = Int32(clamping: buffer.count - start.distance(to: cursor))
                    var rc = sqlite3_prepare_v2(handle, cursor, remaining, &statement, &tail)
                    if rc == SQLITE_OK, let statement {
                        repeat { rc = sqlite3_step(statement) } while rc == SQLITE_ROW
                        sqlite3_finalize(statement)
                        if rc == SQLITE_DONE { rc = SQLITE_OK }
                    }
                    if rc != SQLITE_OK {
                        var underlying = failure(rc)
                        if let refusal = authorizer.refusal {
                            underlying = SQLiteError(code: underlying.code, message: refusal)
                        }
                        throw ScriptError(
                            line: Connection.line(of: start.distance(to: cursor), in: buffer, skippingBlanks: true),
                            underlying: underlying)
                    }
                    guard let tail, tail > cursor else { break }
                    cursor = tail
                }
            }
        }
    }

    /// The line (1-based) of the first byte at or after `offset` that is neither whitespace nor
    /// inside a comment: where the failing statement really starts.
    private static func line(
        of offset: Int, in buffer: UnsafeBufferPointer<UInt8>, skippingBlanks: Bool
    ) -> Int {
        var position = offset
        let end = buffer.count - 1  // the terminating NUL
        func at(_ index: Int) -> UInt8 { index < end ? buffer[index] : 0 }
        while skippingBlanks, position < end {
            if Blank.isWhitespace(at(position)) {
                position += 1
            } else if at(position) == UInt8(ascii: "-"), at(position + 1) == UInt8(ascii: "-") {
                while position < end, at(position) != UInt8(ascii: "\n") { position += 1 }
            } else if at(position) == UInt8(ascii: "/"), at(position + 1) == UInt8(ascii: "*") {
                position += 2
                while position < end, !(at(position) == UInt8(ascii: "*") && at(position + 1) == UInt8(ascii: "/")) {
                    position += 1
                }
                position = min(position + 2, end)
            } else {
                break
            }
        }
        var line = 1
        for index in 0..<min(position, end) where buffer[index] == UInt8(ascii: "\n") {
            line += 1
        }
        return line
    }

    /// A failure inside a script, with the line it happened on.
    package struct ScriptError: Error, Sendable {
        package let line: Int
        package let underlying: SQLiteError
    }
}
