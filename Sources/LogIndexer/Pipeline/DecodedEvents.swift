import LogCore

/// Where a ``SourceDecoder`` puts what it decoded: a ``BatchBuilder`` directly (`tail`, one thread), or an
/// ``EventRecorder`` whose chunks a builder replays on another thread (`ingest`, see ``Ingestor``).
protocol DecodedEventSink: AnyObject {
    /// A small integer naming `labels` within this sink.
    func stream(for labels: StreamLabels) -> Int
    /// One decoded event, before noise rules.
    func store(stream: Int, ns: Int64, flags: EventFlags, level: LogLevel, format: BodyFormat, body: UnsafeBufferPointer<UInt8>,
               message: Range<Int>?)
    /// Lines read, truncated, merged and the like, as the decoder counts them.
    var counters: IngestCounters { get set }
}

/// Decoded events of one input, in order, with what the decoder counted while making them: what a decoding
/// thread hands to the thread that filters and batches them.
struct DecodedChunk: Sendable {
    /// Streams first named in this chunk, in the order of their ids (ids are the recorder's, from 0).
    var newStreams: [StreamLabels] = []
    var streams: [Int32] = []
    var ns: [Int64] = []
    var flags: [UInt16] = []
    var levels: [UInt8] = []
    var formats: [UInt8] = []
    /// End of each event's text in `bytes`.
    var ends: [Int] = []
    /// Each event's message range within its text, or -1 for none.
    var messageStarts: [Int32] = []
    var messageEnds: [Int32] = []
    var bytes: [UInt8] = []
    var counters = IngestCounters()
    /// Bytes of the input read when the chunk was cut, and the clock the decoder was given then.
    var offset: Int64 = 0
    var readNs: Int64 = 0

    var count: Int { ns.count }

    /// Room for about as much as the chunk before held, so that its arrays are not regrown from empty.
    mutating func reserve(events: Int, bytes: Int) {
        streams.reserveCapacity(events); ns.reserveCapacity(events); flags.reserveCapacity(events)
        levels.reserveCapacity(events); formats.reserveCapacity(events); ends.reserveCapacity(events)
        messageStarts.reserveCapacity(events); messageEnds.reserveCapacity(events)
        self.bytes.reserveCapacity(bytes + (bytes >> 3))
    }

    /// Hands each event to `sink`, mapping the recorder's stream ids through `ids` (extended by the new streams).
    /// `after` runs after each event (the caller cuts batches there).
    func replay(into sink: BatchBuilder, ids: inout [Int], after: () throws -> Void) rethrows {
        for labels in newStreams { ids.append(sink.stream(for: labels)) }
        sink.counters.add(counters)
        try bytes.withUnsafeBufferPointer { all in
            var start = 0
            for i in 0..<ns.count {
                let end = ends[i]
                let m = messageStarts[i] < 0 ? nil : Int(messageStarts[i])..<Int(messageEnds[i])
                sink.store(stream: ids[Int(streams[i])], ns: ns[i], flags: EventFlags(rawValue: flags[i]), level: LogLevel(rawValue: levels[i]) ?? .unknown,
                           format: BodyFormat(rawValue: formats[i]) ?? .plain, body: UnsafeBufferPointer(rebasing: all[start..<end]), message: m)
                start = end
                try after()
            }
        }
    }
}

/// A ``DecodedEventSink`` that records events into ``DecodedChunk``s instead of filtering them.
/// Used by one thread (ingest's decoding thread).
final class EventRecorder: DecodedEventSink {
    private var ids: [StreamLabels: Int] = [:]
    @exclusivity(unchecked) private var chunk = DecodedChunk()
    @exclusivity(unchecked) var counters = IngestCounters()

    /// Text bytes recorded since the last ``take(offset:readNs:)``.
    var pendingBytes: Int { chunk.bytes.count }

    func stream(for labels: StreamLabels) -> Int {
        if let id = ids[labels] { return id }
        let id = ids.count
        ids[labels] = id
        chunk.newStreams.append(labels)
        return id
    }

    func store(stream: Int, ns: Int64, flags: EventFlags, level: LogLevel, format: BodyFormat, body: UnsafeBufferPointer<UInt8>,
               message: Range<Int>?) {
        chunk.streams.append(Int32(truncatingIfNeeded: stream))
        chunk.ns.append(ns)
        chunk.flags.append(flags.rawValue)
        chunk.levels.append(level.rawValue)
        chunk.formats.append(format.rawValue)
        chunk.bytes.append(contentsOf: body)
        chunk.ends.append(chunk.bytes.count)
        if let message, message.lowerBound >= 0, message.upperBound <= body.count {
            chunk.messageStarts.append(Int32(message.lowerBound))
            chunk.messageEnds.append(Int32(message.upperBound))
        } else {
            chunk.messageStarts.append(-1)
            chunk.messageEnds.append(-1)
        }
    }

    /// The events and counts recorded so far, and a fresh chunk for the next ones.
    func take(offset: Int64, readNs: Int64) -> DecodedChunk {
        var out = chunk
        out.counters = counters
        out.offset = offset
        out.readNs = readNs
        counters = IngestCounters()
        chunk = DecodedChunk()
        chunk.reserve(events: out.count, bytes: out.bytes.count)
        return out
    }
}
extension BatchBuilder: DecodedEventSink {}
