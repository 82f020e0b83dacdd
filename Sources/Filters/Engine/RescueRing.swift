import LogCore

/// The last K dropped events of one container (both its streams), with their position in the container's
/// log and the stream each came from, so that a failure in either stream can bring back those among its K
/// predecessors. Slots are reused: after warm-up, pushing copies bytes and allocates
/// nothing.
struct RescueRing {
    struct Slot {
        var seq = 0
        var streamKey = 0
        var ns: Int64 = 0
        var level = LogLevel.unknown
        var rule = 0
        var truncated = false
        var bytes: [UInt8] = []
    }

    private var slots: [Slot]
    private var next = 0
    private var count = 0

    init(depth: Int) { slots = Array(repeating: Slot(), count: max(depth, 1)) }

    mutating func push(seq: Int, streamKey: Int, ns: Int64, level: LogLevel, rule: Int, text: UnsafeBufferPointer<UInt8>, limit: Int) {
        let n = min(text.count, limit)
        slots[next].seq = seq
        slots[next].streamKey = streamKey
        slots[next].ns = ns
        slots[next].level = level
        slots[next].rule = rule
        slots[next].truncated = n < text.count
        slots[next].bytes.removeAll(keepingCapacity: true)
        slots[next].bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[0..<n]))
        next = (next + 1) % slots.count
        count = min(count + 1, slots.count)
    }

    /// The held events with `seq > after`, oldest first; empties the ring.
    mutating func take(after: Int) -> [Slot] {
        var out: [Slot] = []
        for k in 0..<count {
            let s = slots[(next - count + k + slots.count) % slots.count]
            if s.seq > after { out.append(s) }
        }
        count = 0
        return out
    }
}
