public import LogCore

/// Limits for joining pieces and lines into one event.
public struct JoinLimits: Sendable {
    /// Maximum bytes of one event (the line limit); longer events are cut and flagged. A multiline event
    /// counts each of its lines with a newline, as log shippers do, so it stays under this.
    public var maxBytes: Int = 1 << 20
    /// Maximum CRI/Docker pieces merged into one line.
    public var maxPieces: Int = 10_000
    /// Maximum physical lines joined into one multiline event.
    public var maxLines: Int = 500
    /// A pause longer than this between two lines of a stream (by the container runtime's times) ends a
    /// multiline event.
    public var maxGapNs: Int64 = 5_000_000_000
    /// A pending partial or multiline event is emitted after this much idle time (follow modes only).
    public var flushAfterNs: Int64 = 1_000_000_000

    public init() {}
}

/// Merges CRI `P` pieces and Docker fragments (no trailing newline) of one stream into whole lines.
///
/// A pure state machine: `add` returns what the caller must do, the caller owns the bytes.
public struct PartialMerger {
    public enum Action { case pass, held, emit(capped: Bool) }

    public let buffer = ByteBuffer(capacity: 16 * 1024)
    public private(set) var pieces = 0
    public private(set) var firstNs: Int64 = 0
    /// The merged line exceeded the byte limit; the excess was discarded.
    public private(set) var truncated = false
    /// Flags of the pieces held so far (bad timestamps, invalid UTF-8, ...), carried to the merged line.
    public var heldFlags: EventFlags = []
    private let limits: JoinLimits

    public init(limits: JoinLimits) { self.limits = limits }

    public var isPending: Bool { pieces > 0 }

    /// Adds a piece. `.pass`: nothing was pending and this piece is whole, use it directly. `.held`: it was
    /// buffered. `.emit`: `buffer` now holds a whole merged line; call `reset()` after consuming it.
    public mutating func add(_ content: UnsafeBufferPointer<UInt8>, ns: Int64, partial: Bool) -> Action {
        if !partial && pieces == 0 { return .pass }
        if pieces == 0 { firstNs = ns }
        pieces += 1
        let room = limits.maxBytes - buffer.count
        if content.count <= room {
            buffer.append(content)
        } else {
            if room > 0 { buffer.append(UnsafeBufferPointer(rebasing: content[0..<room])) }
            truncated = true
        }
        if !partial { return .emit(capped: false) }
        if pieces >= limits.maxPieces { return .emit(capped: true) }
        return .held
    }

    public mutating func reset() {
        buffer.removeAll()
        buffer.shrink(to: 64 * 1024)
        pieces = 0
        truncated = false
        heldFlags = []
    }
}
