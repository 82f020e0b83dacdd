import LogCore

/// The container runtime's wrapper around an application's line: CRI (containerd, CRI-O) or Docker json-file.
public enum EnvelopeFormat: Sendable {
    case cri, docker

    /// 0 for CRI, 1 for Docker: where per-kind state is kept.
    var index: Int { self == .cri ? 0 : 1 }
}

/// One decoded container line: its runtime time, stream, whether more pieces follow, and the content.
public struct EnvelopeLine {
    public var ns: Int64
    /// 1 stdout, 2 stderr.
    public var stream: UInt8
    /// True for a CRI `P` piece or a Docker `log` value without a trailing newline.
    public var partial: Bool
    /// The application's text (for Docker, already unescaped into the decoder's scratch buffer).
    public var content: UnsafeBufferPointer<UInt8>
}

public enum StreamName {
    public static func name(_ code: UInt8) -> String { code == 2 ? "stderr" : code == 1 ? "stdout" : "" }
}

/// Parses the CRI log format `<RFC3339Nano> <stdout|stderr> <P|F>[:tags] <content>`.
public enum CRIEnvelope {
    public static func decode(_ p: UnsafeBufferPointer<UInt8>) -> EnvelopeLine? {
        guard p.count >= 20, p[0] >= 0x30, p[0] <= 0x39, let (ns, tsEnd) = Timestamp.parseISO8601(p), tsEnd < p.count, p[tsEnd] == 0x20 else { return nil }
        var i = tsEnd + 1
        let stream: UInt8
        if i + 6 <= p.count, p[i] == 0x73, p[i + 1] == 0x74, p[i + 2] == 0x64 {
            // "std" + "out" | "err"
            if p[i + 3] == 0x6F, p[i + 4] == 0x75, p[i + 5] == 0x74 { stream = 1 }
            else if p[i + 3] == 0x65, p[i + 4] == 0x72, p[i + 5] == 0x72 { stream = 2 }
            else { return nil }
            i += 6
        } else {
            return nil
        }
        guard i < p.count, p[i] == 0x20 else { return nil }
        i += 1
        guard i < p.count else { return nil }
        // The tag field: "F", "P", or "F:..." / "P:..." (colon-separated extensions).
        let tagStart = i
        while i < p.count, p[i] != 0x20 { i += 1 }
        let tag = p[tagStart]
        guard tag == 0x46 || tag == 0x50, i == tagStart + 1 || p[tagStart + 1] == 0x3A else { return nil }
        let contentStart = i < p.count ? i + 1 : i
        return EnvelopeLine(ns: ns, stream: stream, partial: tag == 0x50,
                            content: UnsafeBufferPointer(rebasing: p[contentStart..<p.count]))
    }
}

/// Parses Docker's json-file lines `{"log":"...","stream":"stdout","time":"..."}` (keys in any order).
public struct DockerEnvelope {
    private let scratch = ByteBuffer(capacity: 64 * 1024)

    public init() {}

    /// Decodes `p`; the returned content points into this decoder's scratch buffer and is valid until the next call.
    public func decode(_ p: UnsafeBufferPointer<UInt8>) -> EnvelopeLine? {
        guard p.count >= 2, p[0] == 0x7B else { return nil }
        var log: Range<Int>? = nil
        var logEscaped = false
        var stream: UInt8 = 0
        var ns: Int64? = nil
        // Docker escapes every control byte; a raw one (a LF inside `log`, say) is still read, as Fluent Bit does.
        let ok = JSONScanner.scanObject(p, rawControlBytes: true) { key, value in
            switch key.count {
            case 3 where key[0] == 0x6C && key[1] == 0x6F && key[2] == 0x67: // log
                if value.kind == .string { log = value.range; logEscaped = value.escaped }
            case 6 where key[0] == 0x73 && key[1] == 0x74: // stream
                if value.kind == .string {
                    let v = UnsafeBufferPointer(rebasing: p[value.range])
                    if v.elementsEqual("stderr".utf8) { stream = 2 } else if v.elementsEqual("stdout".utf8) { stream = 1 }
                }
            case 4 where key[0] == 0x74 && key[1] == 0x69: // time
                if value.kind == .string { ns = Timestamp.parseISO8601(UnsafeBufferPointer(rebasing: p[value.range])).map(\.ns) }
            default: break
            }
        }
        guard ok, let logRange = log else { return nil }
        scratch.removeAll()
        if logEscaped {
            JSONScanner.unescape(UnsafeBufferPointer(rebasing: p[logRange]), into: scratch)
        } else {
            scratch.append(UnsafeBufferPointer(rebasing: p[logRange]))
        }
        var partial = true
        if scratch.last == 0x0A {
            scratch.removeLast()
            partial = false
            if scratch.last == 0x0D { scratch.removeLast() }
        }
        return EnvelopeLine(ns: ns ?? Int64.min, stream: stream, partial: partial, content: scratch.bytes)
    }
}
