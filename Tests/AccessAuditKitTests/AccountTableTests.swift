@testable import AccessAuditKit
import Testing

/// The fast engine's per-account state (`FastState.AccountTable`): one packed value per account,
/// total reads and writes, and a snapshot a replay can start over from.
struct AccountTableTests {
    typealias Account = FastState.Account
    typealias Flag = FastState.Account.Flag

    @Test("An account is packed in 48 bytes: no more than the twelve parallel arrays it replaced")
    func packed() {
        #expect(MemoryLayout<Account>.stride <= 48)
        #expect(MemoryLayout<FastState.LiveEnds>.stride == 16)
    }

    @Test("An index without a row reads as a missing account; writing it adds the rows up to it")
    func totalAccess() {
        var table = FastState.AccountTable()
        #expect(table[5].exists == false)
        #expect(table[5].has(Flag.active))
        #expect(table[-1].exists == false)
        #expect(table.withUsername(5) { $0 == nil })
        table.update(3) { $0.auditable = 2 }
        #expect(table.count == 4)
        #expect(table[3].auditable == 2)
        #expect(table[2].auditable == 0 && !table[2].exists)
    }

    @Test("Usernames are kept beside the rows, NULL apart from empty")
    func usernames() {
        var table = FastState.AccountTable()
        for name: [UInt8]? in [Array("ana".utf8), nil, []] {
            if let name {
                name.withUnsafeBufferPointer { table.append(Account(flags: Flag.exists), username: $0) }
            } else {
                table.append(Account(flags: Flag.exists), username: nil)
            }
        }
        #expect(table.withUsername(0) { $0.map(Array.init) } == Array("ana".utf8))
        #expect(table.withUsername(1) { $0 == nil })
        #expect(table.withUsername(2) { $0.map(Array.init) } == [])
        #expect(table.existing == 3)
    }

    @Test("A snapshot restores what a replay changes and drops the rows added since")
    func snapshotRestore() {
        var table = FastState.AccountTable()
        table.append(Account(org: 7, flags: Flag.exists | Flag.dormant), username: nil)
        let snapshot = table.snapshot()
        table.update(0) {
            $0.org = 9
            $0.replayStatus(4, active: false)
        }
        table.update(2) { $0.set(Flag.exists) }
        table.setLiveEnds(0, FastState.LiveEnds(first: .min, last: .max))
        #expect(table[0].org == 9 && !table[0].has(Flag.dormant) && !table[0].has(Flag.active))
        #expect(table.liveEnds(0)?.first == .min)
        table.restore(snapshot)
        #expect(table.count == 1)
        #expect(table[0].org == 7 && table[0].status == FastState.statusFromTable)
        #expect(table[0].has(Flag.dormant) && table[0].exists)
        #expect(table.liveEnds(0) == nil)
        #expect(!table[2].exists)
    }

    @Test("Live ends take any grant id, Int64.min and max too; clearing forgets them")
    func liveEnds() {
        var table = FastState.AccountTable()
        #expect(table.liveEnds(4) == nil)
        table.setLiveEnds(4, FastState.LiveEnds(first: .min, last: -1))
        #expect(table.liveEnds(4)?.first == .min && table.liveEnds(4)?.last == -1)
        table.setLiveEnds(4, nil)
        #expect(table.liveEnds(4) == nil)
        table.setLiveEnds(1, FastState.LiveEnds(first: .max, last: .max))
        table.clearLive()
        #expect(table.liveEnds(1) == nil)
    }
}
