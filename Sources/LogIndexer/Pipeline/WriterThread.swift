import Foundation

/// The store side of the pipeline: a thread that commits batches in order, fed through a queue of at
/// most `depth` batches, so a slow store pauses the reader instead of growing memory. One is enough to keep both
/// threads busy (the reader fills the next batch meanwhile); each more holds another 8 MiB batch.
final class WriterThread {
    private let queue: BoundedQueue<EventBatch>
    private let done = DispatchSemaphore(value: 0)
    private let committed = CommitTally()
    static let mergeEveryNs: UInt64 = 600_000_000_000

    init(depth: Int = 1, makeWriter: @escaping @Sendable () throws -> any LogWriter) {
        let queue = BoundedQueue<EventBatch>(capacity: depth)
        self.queue = queue
        let done = self.done
        let committed = self.committed
        let thread = Thread {
            do {
                let writer = try makeWriter()
                var merged = DispatchTime.now().uptimeNanoseconds
                while let batch = queue.take() {
                    try writer.append(batch)
                    committed.add(batch.counters)
                    // A long run (`tail`, a stdin stream) merges the index it wrote every 10 minutes too.
                    if DispatchTime.now().uptimeNanoseconds - merged >= WriterThread.mergeEveryNs {
                        try writer.compactIndex()
                        merged = DispatchTime.now().uptimeNanoseconds
                    }
                }
                if queue.error == nil { try writer.compactIndex() }
            } catch {
                queue.fail(error)
            }
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Hands a batch to the store, waiting while the queue is full. Throws the store's error.
    func put(_ batch: EventBatch) throws { try queue.put(batch) }

    /// Waits until everything handed over is committed; returns what was committed or throws the
    /// store's error.
    func finish() throws -> IngestCounters {
        queue.close()
        done.wait()
        if let error = queue.error { throw error }
        return committed.total
    }
}

/// Counters of what the writer thread committed.
// @unchecked Sendable: `sum` is only touched with `lock` held.
final class CommitTally: @unchecked Sendable {
    private let lock = NSLock()
    private var sum = IngestCounters()
    func add(_ c: IngestCounters) { lock.lock(); sum.add(c); lock.unlock() }
    var total: IngestCounters { lock.lock(); defer { lock.unlock() }; return sum }
}
