/// A small deterministic random generator (SplitMix64); the workload depends only on its seed.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// A generator for a sub-stream: same parent seed and label give the same numbers.
    init(seed: UInt64, label: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (label &* 0xA24B_AED4_963E_E407))
        state = mixer.next()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (bound > 0), by multiply-high.
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Uniform in the closed range.
    @inline(__always)
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability 1/n.
    @inline(__always)
    mutating func oneIn(_ n: Int) -> Bool {
        below(n) == 0
    }

    /// True with probability `percent`/100.
    @inline(__always)
    mutating func percent(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// An element of a non-empty array.
    @inline(__always)
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// A skewed draw in `0..<bound`: small values are much more frequent (roughly Zipf-like).
    @inline(__always)
    mutating func skewed(_ bound: Int) -> Int {
        let u = unit()
        return min(bound - 1, Int(Double(bound) * u * u * u))
    }
}
