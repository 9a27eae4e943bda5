@testable import AccessAuditKit
import Foundation
import Testing

/// `EventReader.forEachRowPipelined` must hand over exactly what the one-thread reader does: the
/// same rows (every column, as `HistoryEvent` reads them), in the same order, with the same
/// instants, the same early stop and the same fallback; and never hang when the applier fails.
struct EventPipelineTests {
    struct Delivered: Equatable {
        let event: HistoryEvent
        let instant: Timestamp?
        let raw: [[UInt8]?]
    }

    static func record(_ row: some RowValues, _ instant: Timestamp?) -> Delivered {
        Delivered(
            event: HistoryEvent(row: row), instant: instant,
            raw: (0..<Int32(EventReader.Column.count)).map { column in row.bytes(column).map { Array($0) } })
    }

    /// Where two deliveries first differ (a short message, not both arrays), nil when equal.
    static func difference(_ a: [Delivered], _ b: [Delivered]) -> String? {
        if let index = a.indices.first(where: { $0 < b.count && a[$0] != b[$0] }) {
            return "row \(index): \(a[index]) vs \(b[index])"
        }
        return a.count == b.count ? nil : "\(a.count) rows vs \(b.count)"
    }

    /// What each way delivers, stopping when `stop` says so, with the number of resets.
    static func both(
        _ connection: Connection, stop: (Int, Timestamp?) -> Bool = { _, _ in false }
    ) throws -> (direct: [Delivered], pipelined: [Delivered], resets: (Int, Int)) {
        let logs = EventReader.Logs(grantEvents: true, accountEvents: true)
        var direct: [Delivered] = []
        var directResets = 0
        try EventReader.forEachRow(connection, logs: logs, reset: { direct = []; directResets += 1 }) { (row: Row, instant) in
            direct.append(record(row, instant))
            return !stop(direct.count, instant)
        }
        var pipelined: [Delivered] = []
        var pipelinedResets = 0
        try EventReader.forEachRowPipelined(connection, logs: logs, tuning: .init(), reset: { pipelined = []; pipelinedResets += 1 }) { row, instant in
            pipelined.append(record(row, instant))
            return !stop(pipelined.count, instant)
        }
        return (direct, pipelined, (directResets, pipelinedResets))
    }

    @Test("A generated history (several batches' worth): the same rows, columns and instants")
    func generated() throws {
        try Fixture.withGeneratedDatabase(accounts: 5_000, seed: 7) { connection in
            let (direct, pipelined, resets) = try Self.both(connection)
            #expect(direct.count > 4 * RowBatch.capacity, "too few events to circulate every batch")
            #expect(Self.difference(pipelined, direct) == nil)
            #expect(resets == (0, 0))
            // Stopping part-way: the same prefix, then only rows with an invalid time.
            let (stoppedDirect, stoppedPipelined, _) = try Self.both(connection) { count, _ in count == 5_000 }
            #expect(stoppedDirect.count == 5_000)
            #expect(Self.difference(stoppedPipelined, stoppedDirect) == nil)
        }
    }

    static let hostile = """
        INSERT INTO account_events VALUES (1, '2026-01-01T10:00:00Z', 'create', 'u-1', 'ORG-1', NULL, 'adm', NULL);
        INSERT INTO account_events VALUES (2, 'not a time', 'create', 'u-2', 'ORG-1', NULL, 'adm', X'FF00');
        INSERT INTO grant_events VALUES (3, '2026-01-01T10:00:00Z', 'grant', 7, 'u-1', 'national', '', 'adm', 'b', NULL, 'n');
        INSERT INTO grant_events VALUES (4, '2026-01-02', 'grant', 7.5, 12, 3.25, NULL, 'adm', 'b', '', NULL);
        INSERT INTO grant_events VALUES ('x', NULL, 'revoke', 'eight', x'00ff', NULL, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO grant_events VALUES (6, '2026-01-03T00:00:00+01:00', 'change', 7, 'u-1', 'alliance', 'ORG-1', 'adm', 'c', '2027-01-01', '');
        INSERT INTO grant_events VALUES (-9223372036854775808, '2026-01-04', 'grant', 0, 42, -1, 9223372036854775807, 'adm', 'b', NULL, NULL);
        INSERT INTO grant_events VALUES (-17, '2026-01-05', 'revoke', -9223372036854775808, 'u-1', NULL, NULL, 'adm', NULL, NULL, NULL);
        INSERT INTO account_events VALUES (10, '2026-01-06', 'status', -5, 100, 1000000, 'adm', 0);
        """

    @Test("Hostile values (reals, blobs, text ids, NULL times, empty strings): the same as a live row")
    func hostile() throws {
        let connection = try Fixture.database(Self.hostile)
        let (direct, pipelined, resets) = try Self.both(connection)
        #expect(direct.count == 9)
        #expect(Self.difference(pipelined, direct) == nil)
        #expect(resets.0 == resets.1)
    }

    @Test("Logs out of time order: both fall back to the sorted read after one reset")
    func outOfOrder() throws {
        let connection = try Fixture.database("""
            INSERT INTO grant_events VALUES (1, '2026-03-01', 'grant', 1, 'u-1', 'national', NULL, 'a', 'b', NULL, NULL);
            INSERT INTO grant_events VALUES (2, '2026-02-01', 'grant', 2, 'u-1', 'national', NULL, 'a', 'b', NULL, NULL);
            INSERT INTO account_events VALUES (3, '2026-01-01', 'create', 'u-1', 'ORG-1', NULL, 'adm', NULL);
            """)
        let (direct, pipelined, resets) = try Self.both(connection)
        #expect(resets == (1, 1))
        #expect(Self.difference(pipelined, direct) == nil)
        #expect(pipelined.map(\.event.eventID) == [.integer(3), .integer(2), .integer(1)])
    }

    struct Refused: Error {}

    @Test("The applier failing part-way stops the reader: the error comes back, nothing hangs")
    func failure() throws {
        try Fixture.withGeneratedDatabase(accounts: 3_000, seed: 8) { connection in
            let logs = EventReader.Logs(grantEvents: true, accountEvents: true)
            var seen = 0
            #expect(throws: Refused.self) {
                try EventReader.forEachRowPipelined(connection, logs: logs, tuning: .init(), reset: {}) { _, _ in
                    seen += 1
                    if seen == 100 { throw Refused() }
                    return true
                }
            }
            #expect(seen == 100)
            // The connection is free again: a query runs.
            var count = 0
            try connection.prepare("SELECT count(*) FROM grant_events").forEachRow { count = Int($0.int64(0)) }
            #expect(count > 0)
        }
    }

    @Test("Any statement pipelined: every row and column as forEachRow gives them, across many batches")
    func statement() throws {
        let connection = try Connection()
        try connection.execute("""
            CREATE TABLE t(a, b, c);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9000)
            INSERT INTO t SELECT i, CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN 'text ' || i WHEN 2 THEN i * 0.5
                WHEN 3 THEN x'00ff' || i ELSE '' END, printf('%.*c', i % 40, 'x') FROM n;
            """)
        func read(_ row: some RowValues) -> [[UInt8]?] { (0..<3).map { row.bytes(Int32($0)).map { Array($0) } } }
        var direct: [[[UInt8]?]] = []
        var classes: [[StorageClass]] = []
        try connection.prepare("SELECT a, b, c FROM t").forEachRow { row in
            classes.append((0..<3).map { row.storageClass(Int32($0)) })
            direct.append(read(row))
        }
        var pipelined: [[[UInt8]?]] = []
        var pipedClasses: [[StorageClass]] = []
        try connection.prepare("SELECT a, b, c FROM t").forEachRowPipelined(columns: 3) { row in
            pipedClasses.append((0..<3).map { row.storageClass(Int32($0)) })
            pipelined.append(read(row))
        }
        #expect(direct.count == 9_000)
        #expect(pipelined.elementsEqual(direct), "rows differ")
        #expect(pipedClasses.elementsEqual(classes), "storage classes differ")

        var seen = 0
        #expect(throws: Refused.self) {
            try connection.prepare("SELECT a, b, c FROM t").forEachRowPipelined(columns: 3) { _ in
                seen += 1
                if seen == 5_000 { throw Refused() }
            }
        }
        #expect(seen == 5_000)
    }
}
