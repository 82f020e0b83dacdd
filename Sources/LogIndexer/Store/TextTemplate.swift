import LogCore

/// An event's text split into its template (the bytes that repeat from event to event) and its variables
/// (numbers, hex ids, UUIDs, timestamps, other words with digits), each kind of variable going to its own
/// column so that zstd sees like next to like. Lossless for any bytes: `decode(encode(x)) == x`.
///
/// A variable is a whole run of ASCII letters and digits that holds a digit (or a timestamp or UUID starting at
/// a run). In the template it is a marker byte (and, for some kinds, a byte of shape); bytes of the text that
/// equal a marker are escaped with ``escape``:
///
///     0x10 b            the literal byte b
///     0x11              an integer: decimal digits without a leading zero, up to 18 → varint in `ints`
///     0x12 n            n (2...19) decimal digits with leading zeros → varint in `ints`
///     0x13 n            2n lower-case hex digits (n ≥ 4) → n bytes in `hex`
///     0x14              a lower-case UUID 8-4-4-4-12 → 16 bytes in `hex`
///     0x15 p s f        a time `YYYY-MM-DD{s}HH:MM:SS` with p fraction digits after f (p = 0: none) →
///                       zigzag varint in `times` of (its instant − the event's time) in units of 10^(9−p) ns
///     0x15 0x4u 0 0     a web server's time `DD/Mon/YYYY:HH:MM:SS` (its zone stays in the template) → zigzag varint
///                       in `times` of (its wall clock read as UTC − the event's time) in units of 10^(9−u) ns, u = 0
///                       or 9 (`LSG4` blocks; an access log's time cost six integers and a template per leading zero)
///     0x16              any other word with a digit → varint length + bytes in `strs`
package enum TextTemplate {
    static let escape: UInt8 = 0x10
    static let int: UInt8 = 0x11
    static let digits: UInt8 = 0x12
    static let hex: UInt8 = 0x13
    static let uuid: UInt8 = 0x14
    static let time: UInt8 = 0x15
    static let word: UInt8 = 0x16
    /// The high nibble of a `time` marker's first operand for a web server's time.
    static let webTime: UInt8 = 0x40
    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }

    /// The variable columns of a segment, appended to event by event.
    package struct Variables {
        package var ints: [UInt8] = []
        package var hex: [UInt8] = []
        package var times: [UInt8] = []
        package var strs: [UInt8] = []

        package init() {}

        mutating func removeAll() {
            ints.removeAll(keepingCapacity: true)
            hex.removeAll(keepingCapacity: true)
            times.removeAll(keepingCapacity: true)
            strs.removeAll(keepingCapacity: true)
        }
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) static func isAlnum(_ c: UInt8) -> Bool { c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isLowerHex(_ c: UInt8) -> Bool { c &- 0x30 < 10 || c &- 0x61 < 6 }

    /// The `count` ASCII digits at `at` as a number; nil if one is not a digit (the fields of a time).
    @inline(__always)
    static func decimal(_ t: UnsafeBufferPointer<UInt8>, at: Int, count: Int) -> Int? {
        var v = 0
        for k in at..<(at + count) {
            let d = t[k] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    /// Appends the template of `text` (the event at `ns`) to `template` and its variables to `vars`.
    @inline(__always)
    package static func encode(_ t: UnsafeBufferPointer<UInt8>, ns: Int64, template: inout [UInt8], vars: inout Variables) {
        let n = t.count
        var i = 0
        while i < n {
            let c = t[i]
            guard isAlnum(c) else {
                if c &- escape < 7 { template.append(escape) }
                template.append(c)
                i += 1
                continue
            }
            if isDigit(c), let end = encodeTime(t, at: i, ns: ns, template: &template, vars: &vars)
                ?? encodeWebTime(t, at: i, ns: ns, template: &template, vars: &vars) { i = end; continue }
            if i + 36 <= n, t[i + 8] == 0x2D, isUUID(t, at: i) {
                template.append(uuid)
                appendHex(t, from: i, count: 8, into: &vars.hex)
                appendHex(t, from: i + 9, count: 4, into: &vars.hex)
                appendHex(t, from: i + 14, count: 4, into: &vars.hex)
                appendHex(t, from: i + 19, count: 4, into: &vars.hex)
                appendHex(t, from: i + 24, count: 12, into: &vars.hex)
                i += 36
                continue
            }
            var j = i, hasDigit = false, allDigits = true, allHex = true
            while j < n {
                let d = t[j]
                if isDigit(d) { hasDigit = true } else if isAlnum(d) { allDigits = false; if !isLowerHex(d) { allHex = false } } else { break }
                j += 1
            }
            let len = j - i
            if !hasDigit {
                template.append(contentsOf: UnsafeBufferPointer(rebasing: t[i..<j]))
            } else if allDigits && len <= 19 {
                var v: UInt64 = 0
                for k in i..<j { v = v &* 10 &+ UInt64(t[k] &- 0x30) }
                if t[i] != 0x30 || len == 1, len <= 18 {
                    template.append(int)
                } else {
                    template.append(digits)
                    template.append(UInt8(len))
                }
                BlockCodec.putVarint(v, &vars.ints)
            } else if allHex && len & 1 == 0 && len >= 8 && len <= 510 {
                template.append(hex)
                template.append(UInt8(len / 2))
                appendHex(t, from: i, count: len, into: &vars.hex)
            } else {
                template.append(word)
                BlockCodec.putVarint(UInt64(len), &vars.strs)
                vars.strs.append(contentsOf: UnsafeBufferPointer(rebasing: t[i..<j]))
            }
            i = j
        }
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8 { c <= 0x39 ? c &- 0x30 : c &- 0x57 }

    @inline(__always)
    static func appendHex(_ t: UnsafeBufferPointer<UInt8>, from i: Int, count: Int, into out: inout [UInt8]) {
        var k = i
        while k < i + count {
            out.append(hexValue(t[k]) << 4 | hexValue(t[k + 1]))
            k += 2
        }
    }

    static func isUUID(_ t: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        for k in 0..<36 {
            let c = t[i + k]
            if k == 8 || k == 13 || k == 18 || k == 23 { if c != 0x2D { return false } } else if !isLowerHex(c) { return false }
        }
        return true
    }

    static let pow10: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    /// `YYYY-MM-DD{T| }HH:MM:SS[{.|,}f…]` at `i`, a real calendar time in 1900...2261 not followed by a digit,
    /// whose instant differs from the event's by a whole number of its fraction's units.
    @inline(__always)
    static func encodeTime(_ t: UnsafeBufferPointer<UInt8>, at i: Int, ns: Int64, template: inout [UInt8], vars: inout Variables) -> Int? {
        let n = t.count
        guard i + 19 <= n, t[i + 4] == 0x2D, t[i + 7] == 0x2D, t[i + 13] == 0x3A, t[i + 16] == 0x3A else { return nil }
        let sep = t[i + 10]
        guard sep == 0x54 || sep == 0x20 else { return nil }
        func num(_ at: Int, _ len: Int) -> Int? { decimal(t, at: at, count: len) }
        guard let y = num(i, 4), let mo = num(i + 5, 2), let d = num(i + 8, 2), let h = num(i + 11, 2), let mi = num(i + 14, 2),
              let s = num(i + 17, 2), (1900...2261).contains(y), Timestamp.isDate(year: y, month: mo, day: d), h < 24, mi < 60, s < 60
        else { return nil }
        var end = i + 19, p = 0, fraction: Int64 = 0, fsep: UInt8 = 0
        if end + 1 < n, t[end] == 0x2E || t[end] == 0x2C, isDigit(t[end + 1]) {
            fsep = t[end]
            end += 1
            while end < n, isDigit(t[end]) {
                guard p < 9 else { return nil }
                fraction = fraction * 10 + Int64(t[end] &- 0x30)
                p += 1
                end += 1
            }
        } else if end < n, isDigit(t[end]) {
            return nil
        }
        let seconds = Int64(Timestamp.daysFromCivil(year: y, month: mo, day: d)) * 86_400 + Int64(h * 3600 + mi * 60 + s)
        let unit = pow10[9 - p]
        let at = seconds * 1_000_000_000 + fraction * unit
        let (delta, overflow) = at.subtractingReportingOverflow(ns)
        guard !overflow, delta % unit == 0 else { return nil }
        let q = delta / unit
        template.append(time)
        template.append(UInt8(p))
        template.append(sep)
        template.append(fsep)
        BlockCodec.putVarint(BlockCodec.zigzag(q), &vars.times)
        return end
    }
}

extension TextTemplate {
    /// `DD/Mon/YYYY:HH:MM:SS` at `i` (nginx's and Apache's `%t`), a real calendar time in 1900...2261 not followed by
    /// a letter or digit.
    @inline(__always)
    static func encodeWebTime(_ t: UnsafeBufferPointer<UInt8>, at i: Int, ns: Int64, template: inout [UInt8], vars: inout Variables) -> Int? {
        let n = t.count
        guard i + 20 <= n, t[i + 2] == 0x2F, t[i + 6] == 0x2F, t[i + 11] == 0x3A, t[i + 14] == 0x3A, t[i + 17] == 0x3A,
              i + 20 == n || !isAlnum(t[i + 20]) else { return nil }
        func num(_ at: Int, _ len: Int) -> Int? { decimal(t, at: at, count: len) }
        guard let mo = months.firstIndex(where: { $0[0] == t[i + 3] && $0[1] == t[i + 4] && $0[2] == t[i + 5] }).map({ $0 + 1 }),
              let d = num(i, 2), let y = num(i + 7, 4), let h = num(i + 12, 2), let mi = num(i + 15, 2), let s = num(i + 18, 2),
              (1900...2261).contains(y), Timestamp.isDate(year: y, month: mo, day: d), h < 24, mi < 60, s < 60
        else { return nil }
        let at = (Int64(Timestamp.daysFromCivil(year: y, month: mo, day: d)) * 86_400 + Int64(h * 3600 + mi * 60 + s)) * 1_000_000_000
        let (delta, overflow) = at.subtractingReportingOverflow(ns)
        guard !overflow else { return nil }
        let seconds = delta % 1_000_000_000 == 0
        template.append(time)
        template.append(webTime | (seconds ? 0 : 9))
        template.append(0)
        template.append(0)
        BlockCodec.putVarint(BlockCodec.zigzag(seconds ? delta / 1_000_000_000 : delta), &vars.times)
        return i + 20
    }

    /// 10^w for the `digits` marker's widths (UInt64 holds up to 10^19).
    static let pow10Wide: [UInt64] = (0...19).map { w in (0..<w).reduce(1) { a, _ in a &* 10 } }
}

/// A checked cursor over one decoded column.
struct ColumnCursor {
    let bytes: [UInt8]
    var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { at == bytes.count }
    var remaining: Int { bytes.count - at }

    @inline(__always)
    mutating func varint() throws -> UInt64 { try BlockCodec.getVarint(bytes, at: &at) }

    /// Reads past `n` varints, 8 bytes at a time: a varint ends at each byte below 0x80, and an event passed over by
    /// an id lookup reads ~7 numbers. Their values are not read, so a varint over 10 bytes is not noticed here (the
    /// events rebuilt and `check` read every value).
    @inline(__always)
    mutating func skipVarints(_ n: Int) throws {
        guard n > 0 else { return }
        let from = at
        at = try bytes.withUnsafeBufferPointer { p in
            var i = from, left = n
            if let base = p.baseAddress {
                let raw = UnsafeRawPointer(base)
                while i + 8 <= p.count {
                    let ends = ~UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) & 0x8080_8080_8080_8080
                    let k = ends.nonzeroBitCount
                    if k < left {
                        left -= k
                        i += 8
                        continue
                    }
                    var m = ends
                    for _ in 1..<left { m &= m &- 1 }
                    return i + m.trailingZeroBitCount / 8 + 1
                }
            }
            while left > 0 {
                guard i < p.count else { throw corruptBlock("short column") }
                if p[i] < 0x80 { left -= 1 }
                i += 1
            }
            return i
        }
    }

    /// Reads past `n` bytes.
    @inline(__always)
    mutating func skip(_ n: Int) throws {
        guard n >= 0, n <= bytes.count - at else { throw corruptBlock("short column") }
        at += n
    }

    /// Reads past `n` entries of a word column: each a varint length and that many bytes.
    @inline(__always)
    mutating func skipWords(_ n: Int) throws {
        guard n > 0 else { return }
        let from = at
        at = try bytes.withUnsafeBufferPointer { p in
            var i = from
            for _ in 0..<n {
                let len = try BlockCodec.getCount(p, at: &i)
                guard len <= p.count - i else { throw corruptBlock("short word column") }
                i += len
            }
            return i
        }
    }

    @inline(__always)
    mutating func byte() throws -> UInt8 {
        guard at < bytes.count else { throw corruptBlock("short column") }
        at += 1
        return bytes[at - 1]
    }

    @inline(__always)
    mutating func bytes(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - at else { throw corruptBlock("short column") }
        at += n
        return bytes[(at - n)..<at]
    }
}
