/// A growable byte buffer with a stable base address between growths, for the ingest hot path.
///
/// Unlike `[UInt8]`, handing out `UnsafeBufferPointer`s into it needs no closure; they stay valid until the
/// next call that may grow the buffer (`append`, `reserve`) or `deinit`. Not thread-safe; owned by one stage.
public final class ByteBuffer {
    // One owner at a time by contract (see above), so the per-access exclusivity checks Swift would otherwise run
    // on every byte appended (measured: 8% of ingest time in swift_beginAccess) are left out.
    @exclusivity(unchecked) public private(set) var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) public private(set) var capacity: Int
    @exclusivity(unchecked) public var count: Int = 0

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    public func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCap = capacity * 2
        while newCap < needed { newCap *= 2 }
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
        nb.update(from: base, count: count)
        base.deallocate()
        base = nb
        capacity = newCap
    }

    /// Gives memory back when a huge line made the buffer grow far beyond its usual size.
    public func shrink(to target: Int) {
        guard capacity > target * 4, count <= target else { return }
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: target)
        nb.update(from: base, count: count)
        base.deallocate()
        base = nb
        capacity = target
    }

    @inline(__always)
    public func append(_ b: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = b
        count += 1
    }

    @inline(__always)
    public func append(_ p: UnsafeBufferPointer<UInt8>) {
        guard let src = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        (base + count).update(from: src, count: p.count)
        count += p.count
    }

    public func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    @inline(__always)
    public func removeAll() { count = 0 }

    /// Removes the first `n` bytes, moving the rest to the front.
    public func removeFirst(_ n: Int) {
        precondition(n <= count, "BUG: removeFirst past the end")
        let rest = count - n
        if rest > 0 { base.update(from: base + n, count: rest) }
        count = rest
    }

    @inline(__always)
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    public subscript(_ i: Int) -> UInt8 {
        get { base[i] }
        set { base[i] = newValue }
    }

    public var last: UInt8? { count > 0 ? base[count - 1] : nil }

    public func removeLast() { if count > 0 { count -= 1 } }

    public var array: [UInt8] { Array(bytes) }
}
