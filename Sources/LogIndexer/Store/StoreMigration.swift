import Foundation
import LogCore

/// A store `migrate` can copy from: its events in a stable order, and everything else as one batch.
public protocol MigrationSource: SearchReader {
    /// Noise accounting, templates, failure groups, rollout signals, pod versions and findings, as one batch
    /// without events (counters are read from ``LogReader/stats()``).
    func aggregates() throws -> EventBatch
    /// Every event `request` matches, in an order that is the same on every call for an unchanged store (each
    /// stream's events in the order they were stored).
    func forEachStored(_ request: SearchRequest, _ body: (StoredEvent) throws -> Void) throws
}

/// Copies one store into another (embedded → ClickHouse, or back): day by day, the events in batches of at most
/// 32,768 events or 4 MiB per stream, then the aggregates and counters in one last batch.
///
/// Resumable: each batch commits whole, and a stream's events are copied in the source's order, so after a crash
/// the destination holds a prefix of every stream's events of the day it was copying. A new run skips the days
/// whose counts already agree, and in the day it stopped in skips each stream's prefix. The destination must be
/// new, or one that an earlier run of the same migration started.
public struct StoreMigration {
    public struct Progress: Sendable {
        public var days = 0
        public var daysSkipped = 0
        public var events: Int64 = 0
        public var eventsSkipped: Int64 = 0
        public var batches = 0
        public var aggregatesCopied = false
    }

    public struct Conflict: Error, CustomStringConvertible {
        public var description: String
    }

    let source: any MigrationSource
    let destination: any LogWriter
    let destinationReader: any MigrationSource
    /// Test hook: stop (as a crash would) after this many batches.
    var stopAfterBatches: Int?
    /// Events per stream and batch (at most).
    var blockEvents: Int

    static let dayNs: Int64 = 86_400_000_000_000
    public static let maxEvents = 32_768
    static let maxBytes = 4 << 20

    public init(from source: any MigrationSource, to destination: any LogWriter, reading destinationReader: any MigrationSource,
                stopAfterBatches: Int? = nil, blockEvents: Int = Self.maxEvents) {
        self.source = source
        self.destination = destination
        self.destinationReader = destinationReader
        self.stopAfterBatches = stopAfterBatches
        self.blockEvents = blockEvents
    }

    struct Stopped: Error {}

    /// Copies what the destination lacks; `report` sees the progress after each day.
    public func run(report: (Progress) -> Void = { _ in }) throws -> Progress {
        var progress = Progress()
        do {
            try copyEvents(&progress, report: report)
            try copyAggregates(&progress)
        } catch is Stopped {
            return progress
        }
        return progress
    }

    private func dayCounts(_ reader: any SearchReader) throws -> [Int64: Int] {
        var out: [Int64: Int] = [:]
        for b in try reader.histogram(SearchRequest(predicate: .all), intervalNs: Self.dayNs).buckets where b.count > 0 {
            out[Timestamp.floorDiv(b.startNs, Self.dayNs)] = b.count
        }
        return out
    }

    private func copyEvents(_ progress: inout Progress, report: (Progress) -> Void) throws {
        let want = try dayCounts(source), have = try dayCounts(destinationReader)
        for (day, n) in have where n > (want[day] ?? 0) {
            throw Conflict(description: "the destination holds \(n) events of \(Timestamp.rfc3339(day * Self.dayNs).prefix(10)), the source "
                           + "\(want[day] ?? 0): it holds other data; migrate into a new store")
        }
        for day in want.keys.sorted() {
            let total = want[day]!, already = have[day] ?? 0
            progress.days += 1
            if already == total {
                progress.daysSkipped += 1
                progress.eventsSkipped += Int64(total)
                report(progress)
                continue
            }
            let request = SearchRequest(predicate: .all, fromNs: day * Self.dayNs, toNs: (day + 1) * Self.dayNs - 1, limit: .max)
            // The day the last run stopped in: each stream's events already copied (a prefix of the source's order).
            var skip: [StreamLabels: Int] = [:]
            if already > 0 { try destinationReader.forEachStored(request) { skip[$0.labels, default: 0] += 1 } }
            var pending: [StreamLabels: EventBlock] = [:], pendingBytes = 0
            func flush() throws {
                guard !pending.isEmpty else { return }
                var batch = EventBatch()
                batch.blocks = Array(pending.values)
                try destination.append(batch)
                pending = [:]
                pendingBytes = 0
                progress.batches += 1
                if let stop = stopAfterBatches, progress.batches >= stop { throw Stopped() }
            }
            try source.forEachStored(request) { e in
                if let s = skip[e.labels], s > 0 {
                    skip[e.labels] = s - 1
                    progress.eventsSkipped += 1
                    return
                }
                var block = pending[e.labels] ?? EventBlock(labels: e.labels, day: Int32(day))
                e.text.withUnsafeBufferPointer { block.append(ns: e.ns, flags: e.flags, level: e.level, format: e.format, template: e.template, body: $0) }
                pending[e.labels] = block
                pendingBytes += e.text.count
                progress.events += 1
                if block.count >= blockEvents || block.bodies.count >= Self.maxBytes || pendingBytes >= 4 * Self.maxBytes { try flush() }
            }
            try flush()
            report(progress)
        }
    }

    /// The aggregates and counters go last, once: a destination whose counters equal the source's has them.
    private func copyAggregates(_ progress: inout Progress) throws {
        let counters = try source.stats().counters
        guard try destinationReader.stats().counters != counters else { return }
        var batch = try source.aggregates()
        batch.counters = counters
        try destination.append(batch)
        progress.batches += 1
        progress.aggregatesCopied = true
    }
}
