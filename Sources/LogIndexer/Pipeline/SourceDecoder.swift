public import LogCore

/// Turns the lines of one source (a file or stdin) into events: envelope decoding, partial merging,
/// body decoding and multiline joining, per stream, into a ``BatchBuilder``.
public final class SourceDecoder {
    /// Pieces of one envelope kind held for one stream, and where in the input they lie.
    struct HeldPieces {
        var merger: PartialMerger
        /// Input offsets of the first piece's start and the last piece's end, and how many lines were held.
        var start: Int64 = 0
        var end: Int64 = 0
        var lines = 0
    }

    struct StreamState {
        /// Held pieces per envelope kind (index ``EnvelopeFormat/index``), made on first use: as in Fluent Bit, a
        /// Docker fragment and a CRI `P` run of the same stream in one file never merge with each other.
        var pieces: [HeldPieces?] = [nil, nil]
        var joiner: MultilineJoiner
        var sinkStream: Int
        /// Input offsets: where the pending event begins and ends, and, per envelope kind (a Docker fragment
        /// may be held while CRI lines of the same stream go out), the end of the last line of that kind in the
        /// pending event and in an emitted one. They make tail checkpoints exact.
        var pendingStart: Int64 = 0
        var pendingEnd: Int64 = 0
        var pendingEndByKind = SIMD2<Int64>(0, 0)
        var pendingLines = 0
        var emittedEnd = SIMD2<Int64>(0, 0)
        /// After a restart, lines of this stream and kind that start before this offset were stored already.
        var skipBefore = SIMD2<Int64>(0, 0)

        var hasPieces: Bool { pieces.contains { $0?.merger.isPending == true } }
    }

    public let labels: StreamLabels
    let envelope: EnvelopeMode
    let hint: BodyFormatHint
    let limits: JoinLimits
    let sink: any DecodedEventSink
    // Used by its pipeline's thread only: no dynamic exclusivity checks on each of a line's many accesses.
    @exclusivity(unchecked) private var streams: [StreamState?] = [nil, nil, nil]
    private var resumeSkips: [Int: Int64] = [:]
    private let docker = DockerEnvelope()

    public convenience init(labels: StreamLabels, format: InputFormat, limits: JoinLimits, sink: BatchBuilder) {
        self.init(labels: labels, format: format, limits: limits, into: sink)
    }

    init(labels: StreamLabels, format: InputFormat, limits: JoinLimits, into sink: any DecodedEventSink) {
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
            var st = StreamState(joiner: MultilineJoiner(limits: limits), sinkStream: sink.stream(for: l))
            st.skipBefore = SIMD2(resumeSkips[SourcePosition.key(stream: i, kind: 0)] ?? 0, resumeSkips[SourcePosition.key(stream: i, kind: 1)] ?? 0)
            st.emittedEnd = st.skipBefore
            streams[i] = st
        }
        return i
    }

    /// Feeds one physical line (without its newline). `truncated` is set when the reader cut it at the limit.
    /// `start` and `end` are the line's input offsets (end past its newline); tail checkpoints use them.
    public func line(_ raw: UnsafeBufferPointer<UInt8>, readNs: Int64, truncated: Bool, start: Int64 = 0, end: Int64 = 0) {
        // A CRLF line ending is a line ending, not text (a lone CR inside a line is kept).
        let p = raw.last == 0x0D ? UnsafeBufferPointer(rebasing: raw[0..<(raw.count - 1)]) : raw
        var env: EnvelopeLine? = nil
        var kind = EnvelopeFormat.cri
        var envelopeBroken = false
        switch envelope {
        case .none: break
        case .cri:
            env = CRIEnvelope.decode(p)
            envelopeBroken = env == nil
        case .docker:
            env = docker.decode(p)
            kind = .docker
            envelopeBroken = env == nil
        case .auto:
            if p.count > 20, p[0] >= 0x30, p[0] <= 0x39 {
                env = CRIEnvelope.decode(p)
            } else if p.count > 8, p[0] == 0x7B, p[1] == 0x22, p[2] == 0x6C, p[3] == 0x6F, p[4] == 0x67, p[5] == 0x22 {
                env = docker.decode(p)
                kind = .docker
                envelopeBroken = env == nil
            }
        }
        let s = state(env?.stream ?? 0)
        // Stored before a restart: skip it (it is part of an event already committed).
        if start < streams[s]!.skipBefore[kind.index] { return }

        var flags: EventFlags = LineCheck.flags(p)
        if truncated { flags.insert(.truncated); sink.counters.truncated += 1 }
        if flags.contains(.invalidUTF8) { sink.counters.invalidUTF8 += 1 }
        if flags.contains(.nulBytes) { sink.counters.nulBytes += 1 }
        if envelopeBroken { flags.insert(.parseError); sink.counters.parseErrors += 1 }
        guard var e = env else {
            // A line without an envelope ends the pieces pending on the container streams (Fluent Bit does
            // the same): nothing can complete them across a line that is not theirs.
            if envelope != .none { emitHeldPieces(readNs: readNs) }
            whole(s, kind.index, p, envNs: nil, readNs: readNs, flags: flags, start: start, end: end, lines: 1)
            return
        }
        if e.ns == Int64.min { e.ns = readNs; flags.insert(.badTimestamp) }
        let k = kind.index
        if streams[s]!.pieces[k] == nil { streams[s]!.pieces[k] = HeldPieces(merger: PartialMerger(limits: limits)) }
        if !streams[s]!.pieces[k]!.merger.isPending {
            streams[s]!.pieces[k]!.start = start
            streams[s]!.pieces[k]!.lines = 0
        }
        streams[s]!.pieces[k]!.lines += 1
        streams[s]!.pieces[k]!.end = end
        switch streams[s]!.pieces[k]!.merger.add(e.content, ns: e.ns, partial: e.partial) {
        case .pass:
            whole(s, k, e.content, envNs: e.ns, readNs: readNs, flags: flags, start: start, end: end, lines: 1)
        case .held:
            streams[s]!.pieces[k]!.merger.heldFlags.formUnion(flags)
        case .emit(let capped):
            emitMerged(s, k, capped: capped, readNs: readNs, flags: flags)
        }
    }

    /// Emits the pieces held on every stream as they are, for a line that cannot complete them.
    private func emitHeldPieces(readNs: Int64) {
        for s in 0..<streams.count where streams[s]?.hasPieces == true {
            for k in 0..<2 where streams[s]!.pieces[k]?.merger.isPending == true {
                emitMerged(s, k, capped: false, readNs: readNs, flags: [])
            }
        }
    }

    private func emitMerged(_ s: Int, _ k: Int, capped: Bool, readNs: Int64, flags: EventFlags) {
        let held = streams[s]!.pieces[k]!
        var f = flags.union(held.merger.heldFlags)
        f.insert(.merged)
        sink.counters.partialsMerged += 1
        if capped { f.insert(.capped); sink.counters.capped += 1 }
        let merged = held.merger.buffer
        if held.merger.truncated {
            merged.append(LineCheck.truncationMarker)
            if !f.contains(.truncated) { f.insert(.truncated); sink.counters.truncated += 1 }
        }
        whole(s, k, merged.bytes, envNs: held.merger.firstNs, readNs: readNs, flags: f.union(LineCheck.flags(merged.bytes)),
              start: held.start, end: held.end, lines: held.lines)
        streams[s]!.pieces[k]!.merger.reset()
    }

    /// A whole application line: decode its body and join it with the pending event or start a new one.
    private func whole(_ s: Int, _ k: Int, _ line: UnsafeBufferPointer<UInt8>, envNs: Int64?, readNs: Int64, flags: EventFlags,
                       start: Int64, end: Int64, lines: Int) {
        var info = BodyDecoder.decode(line, hint: hint, referenceNs: envNs ?? readNs)
        var f = flags
        if info.parseError, !f.contains(.parseError) { f.insert(.parseError); sink.counters.parseErrors += 1 }
        if info.badTime { f.insert(.badTimestamp) }
        // The line is counted for the stream's header ratio after it is placed, so it does not vote on itself.
        defer { streams[s]!.joiner.observe(line, info) }
        if streams[s]!.joiner.continues(line, info, envNs: envNs) {
            streams[s]!.joiner.append(line, info, envNs: envNs)
            streams[s]!.pendingEnd = end
            streams[s]!.pendingEndByKind[k] = end
            streams[s]!.pendingLines += lines
            return
        }
        flushJoiner(s)
        let ns: Int64
        if let own = info.ns { ns = own } else { ns = envNs ?? readNs; f.insert(.timeInherited) }
        info.textStart = min(info.textStart, line.count)
        streams[s]!.joiner.start(line, info, ns: ns, envNs: envNs, flags: f, nowNs: readNs)
        streams[s]!.pendingStart = start
        streams[s]!.pendingEnd = end
        streams[s]!.pendingEndByKind = .zero
        streams[s]!.pendingEndByKind[k] = end
        streams[s]!.pendingLines = lines
    }

    private func flushJoiner(_ s: Int) {
        guard streams[s]!.joiner.isPending else { return }
        let j = streams[s]!.joiner
        sink.store(stream: streams[s]!.sinkStream, ns: j.ns, flags: j.flags, level: j.level, format: j.format, body: j.buffer.bytes,
                   message: j.message)
        sink.counters.linesRead += Int64(streams[s]!.pendingLines)
        streams[s]!.emittedEnd = pointwiseMax(streams[s]!.emittedEnd, streams[s]!.pendingEndByKind)
        streams[s]!.joiner.reset()
    }

    /// Emits everything pending (end of input, or idle in follow mode when `idleSinceNs` is given).
    public func flush(idleSinceNs: Int64? = nil) {
        for s in 0..<streams.count where streams[s] != nil {
            if let cutoff = idleSinceNs, streams[s]!.joiner.pendingSinceNs > cutoff { continue }
            for k in 0..<2 where streams[s]!.pieces[k]?.merger.isPending == true {
                emitMerged(s, k, capped: true, readNs: streams[s]!.pieces[k]!.merger.firstNs, flags: [])
            }
            flushJoiner(s)
        }
    }

    /// Where to resume this source after everything emitted so far is committed: the earliest start of
    /// anything still held (pieces, a pending event), else `readerOffset`; plus, per stream, the end of
    /// its last emitted event, so that lines of other streams between the two are not stored twice.
    public func checkpoint(readerOffset: Int64) -> SourcePosition {
        var resume = readerOffset
        for st in streams.compactMap({ $0 }) {
            for held in st.pieces.compactMap({ $0 }) where held.merger.isPending { resume = min(resume, held.start) }
            if st.joiner.isPending { resume = min(resume, st.pendingStart) }
        }
        var skips: [Int: Int64] = [:]
        for (i, st) in streams.enumerated() {
            guard let st else { continue }
            for k in 0..<2 where st.emittedEnd[k] > resume { skips[SourcePosition.key(stream: i, kind: k)] = st.emittedEnd[k] }
        }
        return SourcePosition(resume: resume, skips: skips)
    }

    /// Restores per-stream skips after a restart (before the first line).
    public func restore(_ position: SourcePosition) {
        resumeSkips = position.skips
        for i in 0..<streams.count where streams[i] != nil {
            streams[i]!.skipBefore = SIMD2(position.skips[SourcePosition.key(stream: i, kind: 0)] ?? 0, position.skips[SourcePosition.key(stream: i, kind: 1)] ?? 0)
            streams[i]!.emittedEnd = streams[i]!.skipBefore
        }
    }
}

/// A restart point in one input: read from `resume`, and skip lines of stream `s` (0 plain, 1 stdout,
/// 2 stderr) and envelope kind `k` (0 CRI or none, 1 Docker) that start before `skips[key(s, k)]`.
public struct SourcePosition: Sendable, Equatable {
    public var resume: Int64
    public var skips: [Int: Int64]

    public init(resume: Int64, skips: [Int: Int64] = [:]) {
        self.resume = resume
        self.skips = skips
    }

    public static func key(stream: Int, kind: Int) -> Int { stream * 2 + kind }

    /// `"1.0:1234,2.1:5678"` (stream.kind:offset).
    public var skipsText: String { skips.keys.sorted().map { "\($0 / 2).\($0 % 2):\(skips[$0]!)" }.joined(separator: ",") }

    /// Reads `skipsText`; the older `"1:1234"` (one offset per stream, from before kinds were told apart)
    /// applies to both kinds, as it did when it was written.
    public init?(resume: Int64, skipsText: String) {
        var skips: [Int: Int64] = [:]
        for part in skipsText.split(separator: ",") {
            let kv = part.split(separator: ":")
            guard kv.count == 2, let v = Int64(kv[1]), v >= resume else { return nil }
            let sk = kv[0].split(separator: ".", omittingEmptySubsequences: false)
            guard let s = Int(sk[0]), (0...2).contains(s) else { return nil }
            if sk.count == 1 {
                skips[Self.key(stream: s, kind: 0)] = v
                skips[Self.key(stream: s, kind: 1)] = v
            } else {
                guard sk.count == 2, let k = Int(sk[1]), (0...1).contains(k) else { return nil }
                skips[Self.key(stream: s, kind: k)] = v
            }
        }
        self.init(resume: resume, skips: skips)
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
