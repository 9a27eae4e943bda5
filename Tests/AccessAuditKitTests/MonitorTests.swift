import AccessAuditKit
import Foundation
import Testing

/// The project's one concurrency primitive (`BackgroundWork` and `Monitor`): hand-offs lose and
/// duplicate nothing, waits end, failures come back. CI runs these under ThreadSanitizer
/// (`swift test --sanitize=thread --filter Concurrency`).
struct ConcurrencyPrimitiveTests {
    struct Failed: Error {}

    @Test("Concurrency: a bounded queue over a Monitor hands 20,000 items across in order, none lost")
    func queue() throws {
        let queue = Monitor((items: [Int](), ended: false))
        let producer = BackgroundWork {
            for item in 0..<20_000 {
                _ = queue.wait { state -> Bool? in state.items.count < 8 ? true : nil }
                queue.update { $0.items.append(item) }
            }
            queue.update { $0.ended = true }
        }
        var received: [Int] = []
        while let item = queue.wait(until: { state -> Int?? in
            if !state.items.isEmpty { return .some(state.items.removeFirst()) }
            return state.ended ? .some(nil) : nil
        }) {
            received.append(item)
            queue.update { _ in }
        }
        try producer.join()
        #expect(received == Array(0..<20_000))
    }

    @Test("Concurrency: a timed wait ends with nil when nothing changes, with the value when something does")
    func timedWait() throws {
        let flag = Monitor(false)
        let start = Date()
        #expect(flag.wait(seconds: 0.05) { $0 ? true : nil } == nil)
        #expect(Date().timeIntervalSince(start) >= 0.04)
        let setter = BackgroundWork { flag.update { $0 = true } }
        #expect(flag.wait(seconds: 30) { $0 ? true : nil } == true)
        try setter.join()
    }

    @Test("Concurrency: BackgroundWork rethrows at join, and its writes are seen after it")
    func backgroundWork() throws {
        final class Box: @unchecked Sendable { var value = 0 }
        let box = Box()
        let work = BackgroundWork { box.value = 42 }
        try work.join()
        #expect(box.value == 42)
        let failing = BackgroundWork { throw Failed() }
        #expect(throws: Failed.self) { try failing.join() }
    }
}
