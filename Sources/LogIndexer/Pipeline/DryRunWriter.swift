import Foundation
public import Filters

/// A ``LogWriter`` that stores nothing and only adds up what batches carried: for dry runs such as
/// `logsift filters test`.
public final class DryRunWriter: LogWriter {
    /// What the batches carried, readable from any thread once ingest has finished.
    // @unchecked Sendable: every access to the fields goes through `lock`.
    public final class Totals: @unchecked Sendable {
        private let lock = NSLock()
        private var counters = IngestCounters()
        private var noise = FilterAccounting()

        public init() {}

        func add(_ batch: EventBatch) {
            lock.lock()
            counters.add(batch.counters)
            noise.merge(batch.noise)
            lock.unlock()
        }

        public var result: (counters: IngestCounters, noise: FilterAccounting) {
            lock.lock()
            defer { lock.unlock() }
            return (counters, noise)
        }
    }

    let totals: Totals

    public init(totals: Totals) { self.totals = totals }

    public func append(_ batch: EventBatch) throws { totals.add(batch) }

    public func tailCheckpoints() throws -> [TailCheckpoint] { [] }
}
