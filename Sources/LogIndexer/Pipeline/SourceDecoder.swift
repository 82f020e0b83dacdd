public import LogCore

/// Turns the lines of one source (a file or stdin) into events: envelope decoding, partial merging,
/// body decoding and multiline joining, per stream, into a ``BatchBuilder``.
public final class SourceDecoder {
    struct StreamState {
        var merger: PartialMerger
        var joiner: MultilineJoiner
        var sinkStream: Int
    }

    public let labels: StreamLabels
    let envelope: EnvelopeMode
    let hint: BodyFormatHint
    let limits: JoinLimits
    let sink: BatchBuilder
    private var streams: [StreamState?] = [nil, nil, nil]
    private let docker = DockerEnvelope()

    public init(labels: StreamLabels, format: InputFormat, limits: JoinLimits, sink: BatchBuilder) {
        self.labels = labels
        self.envelope = format.envelope
        self.hint = format.bodyHint
        self.limits = limits
        self.sink = sink
    }

    private func state(_ code: UInt8) -> Int {
        let i = Int(code)
        if streams[i] == nil {
            var l = labels
            l.stream = StreamName.name(code)
            streams[i] = StreamState(merger: PartialMerger(limits: limits), joiner: MultilineJoiner(limits: limits), sinkStream: sink.stream(for: l))
        }
        return i
    }

    /// Feeds one physical line (without its newline). `truncated` is set when the reader cut it at the limit.
    public func line(_ raw: UnsafeBufferPointer<UInt8>, readNs: Int64, truncated: Bool) {
        sink.counters.linesRead += 1
        // A CRLF line ending is a line ending, not text (a lone CR inside a line is kept).
        let p = raw.last == 0x0D ? UnsafeBufferPointer(rebasing: raw[0..<(raw.count - 1)]) : raw
        var flags: EventFlags = LineCheck.flags(p)
        if truncated { flags.insert(.truncated); sink.counters.truncated += 1 }
        if flags.contains(.invalidUTF8) { sink.counters.invalidUTF8 += 1 }
        if flags.contains(.nulBytes) { sink.counters.nulBytes += 1 }

        var env: EnvelopeLine? = nil
        switch envelope {
        case .none: break
        case .cri:
            env = CRIEnvelope.decode(p)
            if env == nil { flags.insert(.parseError); sink.counters.parseErrors += 1 }
        case .docker:
            env = docker.decode(p)
            if env == nil { flags.insert(.parseError); sink.counters.parseErrors += 1 }
        case .auto:
            if p.count > 20, p[0] >= 0x30, p[0] <= 0x39 {
                env = CRIEnvelope.decode(p)
            } else if p.count > 8, p[0] == 0x7B, p[1] == 0x22, p[2] == 0x6C, p[3] == 0x6F, p[4] == 0x67, p[5] == 0x22 {
                env = docker.decode(p)
                if env == nil { flags.insert(.parseError); sink.counters.parseErrors += 1 }
            }
        }
        guard var e = env else {
            let s = state(0)
            whole(s, p, envNs: nil, readNs: readNs, flags: flags)
            return
        }
        if e.ns == Int64.min { e.ns = readNs; flags.insert(.badTimestamp) }
        let s = state(e.stream)
        switch streams[s]!.merger.add(e.content, ns: e.ns, partial: e.partial) {
        case .pass:
            whole(s, e.content, envNs: e.ns, readNs: readNs, flags: flags)
        case .held:
            streams[s]!.merger.heldFlags.formUnion(flags)
        case .emit(let capped):
            emitMerged(s, capped: capped, readNs: readNs, flags: flags)
        }
    }

    private func emitMerged(_ s: Int, capped: Bool, readNs: Int64, flags: EventFlags) {
        var f = flags.union(streams[s]!.merger.heldFlags)
        f.insert(.merged)
        sink.counters.partialsMerged += 1
        if capped { f.insert(.capped); sink.counters.capped += 1 }
        let merged = streams[s]!.merger.buffer
        if streams[s]!.merger.truncated {
            merged.append(LineCheck.truncationMarker)
            if !f.contains(.truncated) { f.insert(.truncated); sink.counters.truncated += 1 }
        }
        whole(s, merged.bytes, envNs: streams[s]!.merger.firstNs, readNs: readNs, flags: f.union(LineCheck.flags(merged.bytes)))
        streams[s]!.merger.reset()
    }

    /// A whole application line: decode its body and join it with the pending event or start a new one.
    private func whole(_ s: Int, _ line: UnsafeBufferPointer<UInt8>, envNs: Int64?, readNs: Int64, flags: EventFlags) {
        var info = BodyDecoder.decode(line, hint: hint, referenceNs: envNs ?? readNs)
        var f = flags
        if info.parseError, !f.contains(.parseError) { f.insert(.parseError); sink.counters.parseErrors += 1 }
        if info.badTime { f.insert(.badTimestamp) }
        if streams[s]!.joiner.continues(line, info) {
            streams[s]!.joiner.append(line, info)
            return
        }
        flushJoiner(s)
        let ns: Int64
        if let own = info.ns { ns = own } else { ns = envNs ?? readNs; f.insert(.timeInherited) }
        info.textStart = min(info.textStart, line.count)
        streams[s]!.joiner.start(line, info, ns: ns, flags: f, nowNs: readNs)
    }

    private func flushJoiner(_ s: Int) {
        guard streams[s]!.joiner.isPending else { return }
        let j = streams[s]!.joiner
        sink.add(stream: streams[s]!.sinkStream, ns: j.ns, flags: j.flags, level: j.level, format: j.format, body: j.buffer.bytes)
        streams[s]!.joiner.reset()
    }

    /// Emits everything pending (end of input, or idle in follow mode when `olderThanNs` is given).
    public func flush(idleSinceNs: Int64? = nil) {
        for s in 0..<streams.count where streams[s] != nil {
            if let cutoff = idleSinceNs, streams[s]!.joiner.pendingSinceNs > cutoff { continue }
            if streams[s]!.merger.isPending {
                emitMerged(s, capped: true, readNs: streams[s]!.merger.firstNs, flags: [])
            }
            flushJoiner(s)
        }
    }
}

/// Per-line checks that cost one pass over the bytes: NUL bytes and invalid UTF-8.
public enum LineCheck {
    /// Appended to text cut at the line limit.
    public static let truncationMarkerText = "…[truncated by logsift]"
    // nonisolated(unsafe): written once at initialisation, only read afterwards.
    public nonisolated(unsafe) static let truncationMarker: UnsafeBufferPointer<UInt8> = {
        let s = Array(truncationMarkerText.utf8)
        let p = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: s.count)
        _ = p.initialize(from: s)
        return UnsafeBufferPointer(p)
    }()

    @inline(__always)
    public static func flags(_ p: UnsafeBufferPointer<UInt8>) -> EventFlags {
        var special = false
        for b in p where b == 0 || b >= 0x80 { special = true; break }
        guard special else { return [] }
        var f: EventFlags = []
        if p.contains(0) { f.insert(.nulBytes) }
        if !isValidUTF8(p) { f.insert(.invalidUTF8) }
        return f
    }

    public static func isValidUTF8(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = p.count
        while i < n {
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            let len: Int
            switch b {
            case 0xC2...0xDF: len = 2
            case 0xE0...0xEF: len = 3
            case 0xF0...0xF4: len = 4
            default: return false
            }
            guard i + len <= n else { return false }
            for k in 1..<len where p[i + k] & 0xC0 != 0x80 { return false }
            if len == 3 {
                let v = (UInt32(b & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6)
                if v < 0x800 || (0xD800...0xDFFF).contains(v | UInt32(p[i + 2] & 0x3F)) { return false }
            } else if len == 4 {
                let v = (UInt32(b & 0x07) << 18) | (UInt32(p[i + 1] & 0x3F) << 12)
                if v < 0x10000 || v > 0x10FFFF { return false }
            }
            i += len
        }
        return true
    }
}
