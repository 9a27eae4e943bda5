@testable import AccessAuditKit
import Foundation
import Testing

/// `EventSort`: logs out of `event_id` order delivered in exactly the reference order (SQLite's
/// `ORDER BY instant, log, event_id`), every column as a live row gives it, in memory and
/// spilled to its temporary file alike.
struct EventSortTests {
    typealias Delivered = EventPipelineTests.Delivered
    static let logs = EventReader.Logs(grantEvents: true, accountEvents: true)

    /// The reference: SQLite's sort.
    static func reference(_ connection: Connection) throws -> [Delivered] {
        var rows: [Delivered] = []
        try EventReader.forEachRow(connection, logs: logs) { row in
            rows.append(EventPipelineTests.record(row, row.bytes(EventReader.Column.occurredAt).flatMap(Timestamp.parse)))
            return true
        }
        return rows
    }

    /// The fast engine's reading with `tuning`, on this thread and pipelined, and its resets.
    static func fast(_ connection: Connection, _ tuning: AuditOptions.Tuning) throws -> (direct: [Delivered], pipelined: [Delivered]) {
        var direct: [Delivered] = []
        try EventReader.forEachRowFast(
            connection, logs: logs, tuning: tuning, reset: { direct = [] },
            inOrder: { row, instant in direct.append(EventPipelineTests.record(row, instant)); return true },
            sorted: { row, instant in direct.append(EventPipelineTests.record(row, instant)); return true })
        var pipelined: [Delivered] = []
        try EventReader.forEachRowPipelined(connection, logs: logs, tuning: tuning, reset: { pipelined = [] }) { row, instant in
            pipelined.append(EventPipelineTests.record(row, instant))
            return true
        }
        return (direct, pipelined)
    }

    /// Integer event_ids out of time order, with every kind of hostile value and the ties the
    /// order must break: the same instant in several forms and logs, fractions of more than 19
    /// digits that share their first 19, invalid times.
    static let hostile = """
        INSERT INTO grant_events VALUES (20, '2026-01-01T10:00:00Z', 'grant', 7, 'u-1', 'national', '', 'adm', 'b', NULL, 'n');
        INSERT INTO account_events VALUES (21, '2026-01-01 11:00:00+01:00', 'create', 'u-1', 'ORG-1', NULL, 'adm', NULL);
        INSERT INTO account_events VALUES (2, 'not a time', 'create', 'u-2', 'ORG-1', NULL, 'adm', X'FF00');
        INSERT INTO grant_events VALUES (4, '2026-01-02', 'grant', 7.5, 12, 3.25, NULL, 'adm', 'b', '', NULL);
        INSERT INTO grant_events VALUES (5, NULL, 'revoke', 'eight', x'00ff', NULL, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO grant_events VALUES (1, '2026-01-03T00:00:00+01:00', 'change', 7, 'u-1', 'alliance', 'ORG-1', 'adm', 'c', '2027-01-01', '');
        INSERT INTO grant_events VALUES (-9223372036854775808, '2026-01-04', 'grant', 0, 42, -1, 9223372036854775807, 'adm', 'b', NULL, NULL);
        INSERT INTO grant_events VALUES (-17, '2026-01-05', 'revoke', -9223372036854775808, 'u-1', NULL, NULL, 'adm', NULL, NULL, NULL);
        INSERT INTO account_events VALUES (10, '2026-01-06', 'status', -5, 100, 1000000, 'adm', 0);
        INSERT INTO grant_events VALUES (30, '2026-01-07T00:00:00.12345678901234567891Z', 'grant', 9, 'u-1', 'x', NULL, 'a', NULL, NULL, NULL);
        INSERT INTO grant_events VALUES (31, '2026-01-07T00:00:00.1234567890123456789Z', 'grant', 9, 'u-1', 'x', NULL, 'a', NULL, NULL, NULL);
        INSERT INTO grant_events VALUES (29, '2026-01-07T00:00:00.123456789012345678901Z', 'grant', 9, 'u-1', 'x', NULL, 'a', NULL, NULL, NULL);
        INSERT INTO grant_events VALUES (28, '2026-01-07T00:00:00.12345678901234567890000Z', 'grant', 9, 'u-1', 'x', NULL, 'a', NULL, NULL, NULL);
        INSERT INTO grant_events VALUES (27, '2026-01-07T00:00:00.1234567890123456788999Z', 'grant', 9, 'u-1', 'x', NULL, 'a', NULL, NULL, NULL);
        INSERT INTO account_events VALUES (26, '2026-01-07T00:00:00.12345678901234567891Z', 'move', 'u-1', 'ORG-2', NULL, 'adm', NULL);
        INSERT INTO account_events VALUES (3, '2026-01-02T00:00:00.5', 'move', 'u-1', 'ORG-2', NULL, 'adm', NULL);
        INSERT INTO account_events VALUES (9, '2026-01-02T00:00:00.50', 'move', 'u-1', 'ORG-2', NULL, 'adm', NULL);
        INSERT INTO grant_events VALUES (8, '2026-01-02T00:00:00.5000000000000000000000001', 'revoke', 7, 'u-1', NULL, NULL, 'adm', NULL, NULL, NULL);
        INSERT INTO grant_events VALUES (6, '2026-01-02T00:00:00.500000000000000000000000', 'revoke', 7, 'u-1', NULL, NULL, 'adm', NULL, NULL, NULL);
        """

    @Test("Hostile values out of order: the reference order and columns, in memory and spilled, on one thread and two",
          arguments: [AuditOptions.Tuning.defaultSortMemory, 1, 300, 4_096])
    func hostile(_ memory: Int) throws {
        let connection = try Fixture.database(Self.hostile)
        let expected = try Self.reference(connection)
        #expect(expected.count == 19)
        let (direct, pipelined) = try Self.fast(connection, AuditOptions.Tuning(sortMemory: memory))
        #expect(EventPipelineTests.difference(direct, expected) == nil)
        #expect(EventPipelineTests.difference(pipelined, expected) == nil)
    }

    @Test("A shuffled generated history: spilled (many runs) and in memory deliver the reference order")
    func shuffled() throws {
        let connection = try Connection(readOnlyPath: DisorderTests.shuffled)
        let expected = try Self.reference(connection)
        #expect(expected.count > 5_000)
        for memory in [AuditOptions.Tuning.defaultSortMemory, 64 << 10, 1] {
            let (direct, pipelined) = try Self.fast(connection, AuditOptions.Tuning(sortMemory: memory))
            #expect(EventPipelineTests.difference(direct, expected) == nil, "\(memory)")
            #expect(EventPipelineTests.difference(pipelined, expected) == nil, "\(memory)")
        }
    }

    @Test("A temporary directory that cannot be used: AuditError.temporaryFile naming it, only when the sort spills")
    func unusableDirectory() throws {
        let connection = try Connection(readOnlyPath: DisorderTests.shuffled)
        let missing = "/nonexistent-\(UUID().uuidString)"
        #expect {
            try ReplayAudit.run(
                connection, database: "db", asOf: DatabaseGenerator.now,
                tuning: AuditOptions.Tuning(sortMemory: 1 << 10, temporaryDirectory: missing))
        } throws: { error in
            guard case AuditError.temporaryFile(let directory, _) = error else { return false }
            return directory == missing && !(error.localizedDescription.contains("\n"))
        }
        // In memory, the directory is never touched.
        let report = try ReplayAudit.run(
            connection, database: "db", asOf: DatabaseGenerator.now, tuning: AuditOptions.Tuning(temporaryDirectory: missing))
        #expect(!report.findings.isEmpty)
    }

    @Test("The spill file is unlinked at once: nothing is left in its directory while it is in use")
    func spillFileLeavesNothing() throws {
        let directory = try Fixture.temporaryDirectory("spill")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try SpillFile(directory: directory.path)
        try [UInt8](repeating: 7, count: 3_000).withUnsafeBytes { try file.append($0) }
        try file.flush()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        var back = [UInt8](repeating: 0, count: 3_000)
        let read = try back.withUnsafeMutableBytes { try file.read(into: $0.baseAddress!, count: 3_000, at: 0) }
        #expect(read == 3_000 && back.allSatisfy { $0 == 7 })
    }
}
