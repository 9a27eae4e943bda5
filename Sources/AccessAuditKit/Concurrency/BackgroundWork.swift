import Foundation

// The one concurrency primitive of the project, in two halves: every thread is a
// `BackgroundWork` (started, then joined in the scope that started it), and every piece of state
// two threads share, and every wait for it to change, is a `Monitor`. Nothing else here starts a
// thread, locks or waits (no detached threads, semaphores or bare conditions); `Atomic` flags
// that are only ever read as hints (a reader thread noticing the applier stopped, row counts for
// the progress line) are the one exception. ConcurrencyTests run them under ThreadSanitizer.

/// Runs work on a thread of its own; `join()` waits for it and rethrows what it threw.
///
/// The work's captures (a `FastState`, a `Connection`) are not `Sendable`: they are handed over
/// whole, touched only by that thread until `join()` returns, and `pthread_join` orders its
/// writes before the joiner's reads. Every `BackgroundWork` must be joined.
///
/// A joinable POSIX thread, not a detached one: when `join()` returns the thread has ended and let
/// go of everything it held (a connection, a state), so nothing outlives the call that started it.
package final class BackgroundWork: @unchecked Sendable {
    private let body: () throws -> Void
    private var failure: (any Error)?
    private var thread: pthread_t?

    package init(_ body: @escaping () throws -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let started = pthread_create(&handle, nil, { context in
            guard let context else { return nil }
            let work = Unmanaged<BackgroundWork>.fromOpaque(context).takeRetainedValue()
            do { try work.body() } catch { work.failure = error }
            return nil
        }, context)
        if started == 0 {
            thread = handle
        } else {
            // No thread to be had: the work runs here, before the caller's own.
            Unmanaged<BackgroundWork>.fromOpaque(context).release()
            do { try body() } catch { failure = error }
        }
    }

    /// Waits for the thread to end (once), then rethrows what the work threw.
    package func join() throws {
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
        if let failure { throw failure }
    }

    /// Work that reads `sibling` (from `FastAudit.sameSnapshotSibling`, already in its read
    /// transaction), ending that transaction when done.
    static func reading(_ sibling: Connection, _ body: @escaping (Connection) throws -> Void) -> BackgroundWork {
        BackgroundWork {
            defer { try? sibling.execute("COMMIT") }
            try body(sibling)
        }
    }

    /// Runs `body` here while the work runs, then waits for the work, also when `body` throws
    /// (the work may be using what `body`'s caller is about to release).
    func alongside<T>(_ body: () throws -> T) throws -> T {
        let result: T
        do {
            result = try body()
        } catch {
            _ = try? join()
            throw error
        }
        try join()
        return result
    }
}

/// State shared between threads, behind one lock, with waiting for it to change: each `update`
/// wakes every waiter, which checks its condition again under the lock.
package final class Monitor<State>: @unchecked Sendable {
    private let condition = NSCondition()
    private var state: State

    package init(_ state: State) {
        self.state = state
    }

    /// Reads or changes the state without waking anyone.
    package func withLock<T>(_ body: (inout State) throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body(&state)
    }

    /// Changes the state and wakes every waiter.
    package func update<T>(_ body: (inout State) throws -> T) rethrows -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body(&state)
    }

    /// Waits until `ready` gives a value (evaluated under the lock, where it may change the state).
    @discardableResult
    package func wait<T>(until ready: (inout State) throws -> T?) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value = try ready(&state) { return value }
            condition.wait()
        }
    }

    /// As `wait(until:)`, giving up (nil) after `seconds`.
    package func wait<T>(seconds: Double, until ready: (inout State) throws -> T?) rethrows -> T? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value = try ready(&state) { return value }
            guard condition.wait(until: deadline) else { return try ready(&state) }
        }
    }
}
