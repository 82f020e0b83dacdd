extension FailureHeadline {
    /// The headline's byte range in `text`, decided on the bytes (no String, no Foundation search) when the first
    /// 16 KiB are ASCII without CR: there every byte is one Character, and Character's whitespace, letters and
    /// numbers are ASCII's, so this is exactly what ``of(_:)`` picks. Nil for other texts (``of(_:)`` decides).
    public static func byteRange(_ text: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let n = min(text.count, 16 << 10)
        guard n > 0, let base = text.baseAddress else { return 0..<0 }
        for i in 0..<n where base[i] >= 0x80 || base[i] == 0x0D { return nil }
        let t = UnsafeBufferPointer(start: base, count: n)
        var lines: [Range<Int>] = []
        var start = 0
        for i in 0..<n where t[i] == 0x0A {
            if i > start { lines.append(start..<i) }
            start = i + 1
        }
        if n > start { lines.append(start..<n) }
        guard lines.count > 1 else { return lines.first ?? 0..<n }
        if lines.contains(where: { contains(t, $0, Bytes.traceback) }) {
            if let last = lines.last(where: { l in
                guard !isSpace(t[l.lowerBound]) else { return false }
                return !contains(t, l, Bytes.traceback) && !hasPrefix(t, l, Bytes.during) && !hasPrefix(t, l, Bytes.above)
            }) { return last }
        }
        for l in lines {
            let r = droppingSpace(t, l)
            if hasPrefix(t, r, Bytes.panic) || hasPrefix(t, r, Bytes.fatal) { return r }
        }
        for l in lines.dropFirst() {
            let r = droppingSpace(t, l)
            if hasPrefix(t, r, Bytes.at) || hasPrefix(t, r, Bytes.ellipsis) || hasPrefix(t, r, Bytes.causedBy) { continue }
            if isExceptionLine(t, r) { return r }
        }
        return lines[0]
    }

    private enum Bytes {
        static let traceback = Array("Traceback (most recent call last)".utf8)
        static let during = Array("During handling of the above exception".utf8)
        static let above = Array("The above exception was the direct cause".utf8)
        static let panic = Array("panic: ".utf8)
        static let fatal = Array("fatal error: ".utf8)
        static let at = Array("at ".utf8)
        static let ellipsis = Array("...".utf8)
        static let causedBy = Array("Caused by:".utf8)
        static let exception = Array("Exception".utf8)
        static let error = Array("Error".utf8)
    }

    /// Unicode White_Space within ASCII.
    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    private static func droppingSpace(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var i = r.lowerBound
        while i < r.upperBound, isSpace(t[i]) { i += 1 }
        return i..<r.upperBound
    }

    private static func hasPrefix(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ p: [UInt8]) -> Bool {
        guard r.count >= p.count else { return false }
        for k in 0..<p.count where t[r.lowerBound + k] != p[k] { return false }
        return true
    }

    private static func hasSuffix(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ p: [UInt8]) -> Bool {
        r.count >= p.count && hasPrefix(t, (r.upperBound - p.count)..<r.upperBound, p)
    }

    private static func contains(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ p: [UInt8]) -> Bool {
        guard r.count >= p.count else { return false }
        let first = p[0]
        var i = r.lowerBound
        let last = r.upperBound - p.count
        while i <= last {
            if t[i] == first, hasPrefix(t, i..<r.upperBound, p) { return true }
            i += 1
        }
        return false
    }

    /// ``isExceptionLine(_:)`` on ASCII: the name is letters, digits, `.`, `$` and `_`.
    private static func isExceptionLine(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        var e = r.lowerBound
        while e < r.upperBound {
            let b = t[e]
            let nameByte = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x24 || b == 0x5F
            guard nameByte else { break }
            e += 1
        }
        let name = r.lowerBound..<e
        guard hasSuffix(t, name, Bytes.exception) || hasSuffix(t, name, Bytes.error) else { return false }
        return e == r.upperBound || t[e] == 0x3A || t[e] == 0x20
    }
}
