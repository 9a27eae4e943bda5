import AccessAuditKit
import Foundation
import Testing

/// The thin SQLite layer: typed reads, NULL handling, errors, read-only opening.
struct SQLiteTests {
    @Test("Every storage class reads as SQLite's CAST(x AS TEXT)")
    func typedReads() throws {
        let connection = try Connection()
        let statement = try connection.prepare(
            "SELECT NULL, 42, 2.5, 'text', x'41FF42', 'a' || char(0) || 'b', '', 1e20, -0")
        var seen = false
        try statement.forEachRow { row in
            seen = true
            #expect(row.storageClass(0) == .null)
            #expect(row.text(0) == nil)
            #expect(row.storageClass(1) == .integer)
            #expect(row.int64(1) == 42)
            #expect(row.text(1) == "42")
            #expect(row.storageClass(2) == .real)
            #expect(row.text(2) == "2.5")
            #expect(row.text(3) == "text")
            #expect(row.storageClass(4) == .blob)
            #expect(DBText.display(row.text(4) ?? "") == "A\u{FFFD}B")
            #expect(row.text(5) == "a\0b")
            #expect(row.text(6) == "")
            #expect(row.text(7) == "1.0e+20")
            #expect(row.text(8) == "0")
        }
        #expect(seen)
    }

    @Test("Text reads agree with SQLite's own CAST")
    func castAgreement() throws {
        let connection = try Connection()
        let statement = try connection.prepare(
            "SELECT v, CAST(v AS TEXT) FROM (SELECT 3.0 AS v UNION ALL SELECT 0.1 UNION ALL SELECT 123456789012345678 UNION ALL SELECT -1.5e-7)")
        var count = 0
        try statement.forEachRow { row in
            let cast = row.text(1)
            #expect(row.text(0) == cast)
            count += 1
        }
        #expect(count == 4)
    }

    @Test func errorsCarryCodeMessageAndSQL() throws {
        let connection = try Connection()
        #expect {
            _ = try connection.prepare("SELECT * FROM nowhere")
        } throws: { error in
            guard let error = error as? SQLiteError else { return false }
            return error.primaryCode == 1 && error.message.contains("nowhere") && error.sql == "SELECT * FROM nowhere"
        }
    }

    @Test("A script error names the line its statement starts on")
    func scriptErrorLine() throws {
        let connection = try Connection()
        #expect {
            try connection.executeScript("CREATE TABLE t(a);\n\nINSERT INTO t VALUES (1);\n  INSERT INTO nowhere VALUES (2);\n")
        } throws: { error in
            (error as? Connection.ScriptError)?.line == 4
        }
        #expect {
            try connection.executeScript("SELECT 1; -- fine\n/* a\nb */\n-- c\n  SELEC 2;")
        } throws: { error in
            (error as? Connection.ScriptError)?.line == 5
        }
    }

    @Test("A file is opened read-only: writes fail and the bytes stay the same")
    func readOnly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ro-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Fixture.writeDatabase("INSERT INTO access_levels VALUES ('x', 1, NULL);", to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let connection = try Connection(readOnlyPath: path)
        #expect(throws: SQLiteError.self) { try connection.execute("INSERT INTO access_levels VALUES ('y', 2, NULL)") }
        #expect(throws: SQLiteError.self) { try connection.execute("CREATE TABLE z(a)") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("File names with URI characters open as plain paths")
    func awkwardPaths() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("a?b#c%d \(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("x?mode=rwc.db").path
        try Fixture.writeDatabase("", to: path)
        let connection = try Connection(readOnlyPath: path)
        var count: Int64 = -1
        try connection.prepare("SELECT count(*) FROM accounts").forEachRow { count = $0.int64(0) }
        #expect(count == 0)
    }

    @Test("Opening a missing file read-only fails instead of creating it")
    func missingFile() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString).db").path
        #expect(throws: SQLiteError.self) { _ = try Connection(readOnlyPath: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("Every connection keeps SQLite's temporary storage in memory: no file outside the named outputs")
    func noTemporaryFiles() throws {
        func tempStore(_ connection: Connection) throws -> Int64 {
            var value: Int64 = -1
            try connection.prepare("PRAGMA temp_store").forEachRow { value = $0.int64(0) }
            return value
        }
        let directory = try Fixture.temporaryDirectory("temp-store")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("audited.db").path
        try Fixture.writeDatabase(RuleExample.baseFixture, to: path)
        // 2 is MEMORY.
        #expect(try tempStore(Connection()) == 2)
        #expect(try tempStore(Connection(readOnlyPath: path)) == 2)
        #expect(try tempStore(Connection(readOnlyPath: path, immutable: true)) == 2)
        #expect(try tempStore(Connection(attachingReadOnly: path, as: "src", busyTimeoutMilliseconds: 100)) == 2)
    }
}
