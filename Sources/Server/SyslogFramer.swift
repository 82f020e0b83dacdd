/// Splits a syslog TCP stream into messages (RFC 6587): octet counting (`LEN SP MSG`) when a frame starts
/// with a digit, else newline framing. Frames over `maxFrame` bytes are cut (the rest is skipped).
struct SyslogFramer {
    private var buffer: [UInt8] = []
    private var skipping = 0
    let maxFrame: Int

    init(maxFrame: Int = 64 << 10) { self.maxFrame = maxFrame }

    /// Adds received bytes; returns the messages they complete.
    mutating func append(_ bytes: some Sequence<UInt8>) -> [[UInt8]] {
        buffer.append(contentsOf: bytes)
        var out: [[UInt8]] = []
        var i = 0
        while i < buffer.count {
            if skipping > 0 {
                let n = min(skipping, buffer.count - i)
                skipping -= n
                i += n
                continue
            }
            let c = buffer[i]
            if c == 0x0A || c == 0x0D || c == 0x00 { i += 1; continue }
            if c >= 0x30 && c <= 0x39 {
                // Octet counting: digits, a space, then exactly that many bytes.
                var j = i, len = 0
                while j < buffer.count, buffer[j] >= 0x30, buffer[j] <= 0x39, j - i < 9 { len = len * 10 + Int(buffer[j] - 0x30); j += 1 }
                if j == buffer.count { break }
                if buffer[j] == 0x20 {
                    let start = j + 1
                    let take = min(len, maxFrame)
                    if buffer.count - start < take { break }
                    out.append(Array(buffer[start..<(start + take)]))
                    i = start + take
                    skipping = len - take
                    continue
                }
            }
            // Newline framing.
            guard let nl = buffer[i...].firstIndex(of: 0x0A) else {
                if buffer.count - i > maxFrame {
                    out.append(Array(buffer[i..<(i + maxFrame)]))
                    buffer.removeAll()
                    // Skip to the next newline.
                    skipping = 0
                    discardingLine = true
                    return out
                }
                break
            }
            var end = nl
            if end > i, buffer[end - 1] == 0x0D { end -= 1 }
            if discardingLine {
                discardingLine = false
            } else if end > i {
                out.append(Array(buffer[i..<min(end, i + maxFrame)]))
            }
            i = nl + 1
        }
        buffer.removeFirst(i)
        return out
    }

    private var discardingLine = false

    /// What is left when the connection ends (a last message without its newline).
    mutating func finish() -> [UInt8]? {
        defer { buffer.removeAll() }
        if discardingLine || buffer.isEmpty { return nil }
        return Array(buffer.prefix(maxFrame))
    }
}
