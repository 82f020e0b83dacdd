/// A growable byte buffer with cheap appends, used to build log lines without `String`.
///
/// Not thread-safe: each generator owns its own sinks.
final class ByteSink {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 64 * 1024) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    func removeAll() {
        count = 0
    }

    /// Drops everything before `offset`, keeping the rest at the start.
    func removeFirst(_ offset: Int) {
        let remaining = count - offset
        if remaining > 0 { base.update(from: base + offset, count: remaining) }
        count = max(0, remaining)
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    @inline(__always)
    func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    @inline(__always)
    func append(repeating byte: UInt8, count n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(repeating: byte, count: n)
        count += n
    }

    /// Decimal digits of a non-negative or negative integer.
    @inline(__always)
    func appendDecimal(_ value: Int) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            appendDecimal(UInt64(-value))
        } else {
            appendDecimal(UInt64(value))
        }
    }

    func appendDecimal(_ value: UInt64) {
        reserve(20)
        var digits = 1
        var probe = value
        while probe >= 10 { probe /= 10; digits += 1 }
        var v = value
        var i = count + digits - 1
        repeat {
            base[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
            v /= 10
            i -= 1
        } while v > 0
        count += digits
    }

    /// Exactly `width` decimal digits, zero-padded (value must fit).
    @inline(__always)
    func appendPadded(_ value: Int, width: Int) {
        reserve(width)
        var v = value
        var i = count + width - 1
        while i >= count {
            base[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
            v /= 10
            i -= 1
        }
        count += width
    }

    /// A value in thousandths as `int.fff` (e.g. 12345 -> "12.345"), with `decimals` digits (1...3).
    func appendMilli(_ thousandths: Int, decimals: Int = 3) {
        appendDecimal(thousandths / 1000)
        append(UInt8(ascii: "."))
        let fraction = thousandths % 1000
        switch decimals {
        case 1: appendPadded(fraction / 100, width: 1)
        case 2: appendPadded(fraction / 10, width: 2)
        default: appendPadded(fraction, width: 3)
        }
    }

    /// `digits` lowercase hex digits of `value` (most significant first).
    @inline(__always)
    func appendHex(_ value: UInt64, digits: Int) {
        reserve(digits)
        var v = value
        var i = count + digits - 1
        while i >= count {
            let d = UInt8(truncatingIfNeeded: v & 15)
            base[i] = d < 10 ? d &+ 48 : d &+ 87
            v >>= 4
            i -= 1
        }
        count += digits
    }

    /// Random lowercase hex of any length.
    func appendRandomHex(_ digits: Int, _ rng: inout SplitMix64) {
        var left = digits
        while left > 0 {
            let n = min(16, left)
            appendHex(rng.next(), digits: n)
            left -= n
        }
    }

    /// A random RFC 4122 version-4 UUID.
    func appendUUID(_ rng: inout SplitMix64) {
        let a = rng.next(), b = rng.next()
        appendHex(a >> 32, digits: 8)
        append(UInt8(ascii: "-"))
        appendHex(a >> 16, digits: 4)
        append(UInt8(ascii: "-"))
        appendHex(0x4000 | (a & 0x0FFF), digits: 4)
        append(UInt8(ascii: "-"))
        appendHex(0x8000 | (b >> 48 & 0x3FFF), digits: 4)
        append(UInt8(ascii: "-"))
        appendHex(b, digits: 12)
    }
}
