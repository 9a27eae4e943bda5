import Foundation

/// The one temporary file of an external sort (`EventSort`): made with `mkstemp` (mode 0600) in
/// `AuditOptions.Tuning.temporaryDirectory` and unlinked at once, so no name of it is left
/// behind even if the process is killed; the space goes back to the file system when the
/// descriptor closes (at `deinit`). It is the only write outside the outputs a user named
/// (docs/SECURITY.md). A directory where it cannot be made, or a write that fails (a full disk),
/// ends the run with `AuditError.temporaryFile` (exit 2).
final class SpillFile {
    let directory: String
    private let descriptor: Int32
    /// Bytes written so far (the file's size once flushed).
    private(set) var size = 0
    private let buffer = ByteArena()
    private static let flushBytes = 1 << 20

    init(directory: String) throws {
        self.directory = directory
        var template = Array((directory.hasSuffix("/") ? directory : directory + "/").utf8CString.dropLast())
        template.append(contentsOf: Array("access-audit-sort.XXXXXX".utf8CString))
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw AuditError.temporaryFile(directory, String(cString: strerror(errno)))
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Appends bytes (buffered; `flush` writes them).
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        buffer.reserve(bytes.count)
        (buffer.base + buffer.count).copyMemory(from: source, byteCount: bytes.count)
        buffer.advance(bytes.count)
        size += bytes.count
        if buffer.count >= SpillFile.flushBytes { try flush() }
    }

    /// Writes what is buffered.
    func flush() throws {
        var written = 0
        while written < buffer.count {
            let result = write(descriptor, buffer.base + written, buffer.count - written)
            if result < 0, errno == EINTR { continue }
            guard result > 0 else {
                throw AuditError.temporaryFile(directory, String(cString: strerror(result < 0 ? errno : ENOSPC)))
            }
            written += result
        }
        buffer.removeAll()
    }

    /// Reads up to `count` bytes at `offset` into `target`; returns how many were read.
    func read(into target: UnsafeMutableRawPointer, count: Int, at offset: Int) throws -> Int {
        var done = 0
        while done < count {
            let result = pread(descriptor, target + done, count - done, off_t(offset + done))
            if result < 0, errno == EINTR { continue }
            guard result >= 0 else { throw AuditError.temporaryFile(directory, String(cString: strerror(errno))) }
            if result == 0 { break }
            done += result
        }
        return done
    }
}

/// The k-way merge of sorted runs of (key, row) in a `SpillFile`, each read through a buffer of
/// its own, the next entry chosen with a binary heap.
struct RunMerge {
    private final class Reader {
        let file: SpillFile
        var position: Int
        let end: Int
        let buffer: ByteArena
        var start = 0
        var key = EventSort.Key(seconds: 0, fraction: 0, eventID: 0, ref: 0)
        var payload = UnsafeRawPointer(bitPattern: 1)!
        var exhausted = false

        init(file: SpillFile, run: Range<Int>, bufferBytes: Int) {
            self.file = file
            position = run.lowerBound
            end = run.upperBound
            buffer = ByteArena()
            buffer.reserve(bufferBytes)
        }

        /// Makes `bytes` bytes from `start` available in the buffer (reading more of the run).
        private func ensure(_ bytes: Int) throws -> Bool {
            if buffer.count - start >= bytes { return true }
            let kept = buffer.count - start
            buffer.base.copyMemory(from: buffer.base + start, byteCount: kept)
            buffer.removeAll()
            buffer.advance(kept)
            start = 0
            // Room for the whole entry from the start (not `bytes` more: that would double it).
            buffer.reserve(max(0, bytes - kept))
            let room = buffer.capacityLeft
            let read = try file.read(into: buffer.base + kept, count: min(room, end - position), at: position)
            position += read
            buffer.advance(read)
            return buffer.count >= bytes
        }

        /// Steps to the run's next entry; false at its end.
        func advance(skipping previous: Int) throws {
            start += previous
            let keySize = MemoryLayout<EventSort.Key>.size
            guard try ensure(keySize + 4) else {
                exhausted = true
                return
            }
            key = (buffer.base + start).loadUnaligned(as: EventSort.Key.self)
            let length = EncodedRow.length(buffer.base + start + keySize)
            guard try ensure(keySize + length) else { throw AuditError.temporaryFile(file.directory, "a sort run ended early") }
            payload = UnsafeRawPointer(buffer.base + start + keySize)
        }

        var entryBytes: Int { MemoryLayout<EventSort.Key>.size + EncodedRow.length(payload) }
    }

    private var readers: [Reader]
    private var heap: [Int] = []

    init(file: SpillFile, runs: [Range<Int>], bufferBytes: Int) throws {
        readers = runs.map { Reader(file: file, run: $0, bufferBytes: bufferBytes) }
        for (index, reader) in readers.enumerated() {
            try reader.advance(skipping: 0)
            if !reader.exhausted { push(index) }
        }
    }

    /// The smallest entry left, nil when every run is done. Valid until `advance`.
    var current: (EventSort.Key, UnsafeRawPointer)? {
        guard let top = heap.first else { return nil }
        return (readers[top].key, readers[top].payload)
    }

    mutating func advance() throws {
        guard let top = heap.first else { return }
        let reader = readers[top]
        try reader.advance(skipping: reader.entryBytes)
        if reader.exhausted {
            let last = heap.removeLast()
            guard !heap.isEmpty else { return }
            heap[0] = last
        }
        siftDown(0)
    }

    /// Entry order; between equal keys, the earlier run (runs are cut from the logs in table order).
    private func less(_ a: Int, _ b: Int) -> Bool {
        if EventSort.precedes(readers[a].key, readers[a].payload, readers[b].key, readers[b].payload) { return true }
        if EventSort.precedes(readers[b].key, readers[b].payload, readers[a].key, readers[a].payload) { return false }
        return a < b
    }

    private mutating func push(_ index: Int) {
        heap.append(index)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, less(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, less(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
