import AccessAuditKit
import Foundation
import Testing

/// Bad input is exit 2 with one line on stderr naming what and where, and nothing on stdout.
struct ErrorTests {
    func expectError(_ arguments: [String], contains: String...) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        for text in contains { #expect(result.stderr.contains(text), "\(result.stderr)") }
    }

    @Test func missingFile() throws {
        try expectError(["audit", "/nonexistent/x.db"], contains: "/nonexistent/x.db: no such file")
    }

    @Test func directory() throws {
        try expectError(["audit", "samples"], contains: "samples: not a regular file")
    }

    @Test func notSQLite() throws {
        try expectError(["audit", "Package.swift"], contains: "Package.swift: not a SQLite database")
    }

    @Test func emptyFileIsAnEmptyDatabase() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("empty.db").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        try expectError(["audit", path], contains: "missing table access_levels", "table grants")
    }

    @Test func missingTableAndColumn() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("partial.db").path
        let connection = try Connection()
        let sql = ContractSchema.unconstrainedSQL
            .replacingOccurrences(of: "CREATE TABLE org_remit(org_id, covers_org_id);", with: "")
            .replacingOccurrences(of: "last_login_at)", with: "last_login)")
        try connection.executeScript(sql)
        try connection.execute("VACUUM INTO '\(path)'")
        try expectError(["audit", path], contains: "missing table org_remit, column accounts.last_login_at")
    }

    @Test func brokenSQLText() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("broken.sql").path
        try "CREATE TABLE t(a);\n-- comment /* x */\n/* block\n */ INSRT INTO t VALUES (1);\n".write(toFile: path, atomically: true, encoding: .utf8)
        try expectError(["audit", path], contains: "broken.sql:4:", "syntax error")
    }

    @Test("Usage errors keep argument-parser's 64")
    func usage() throws {
        #expect(try CLI.run(["audit", "x.db", "--now", "yesterday"]).status == 64)
        #expect(try CLI.run(["audit", "x.db", "--fail-on", "severe"]).status == 64)
        #expect(try CLI.run(["audit", "x.db", "--format", "pdf"]).status == 64)
        #expect(try CLI.run(["audit"]).status == 64)
        #expect(try CLI.run(["audit", "x.db", "--dormant-days", "-1"]).status == 64)
    }
}
