/// Mergeable evidence of chatter for one template, gathered per event at ingest with a few integer and
/// floating-point operations: the gaps between consecutive events of the template in one stream (count, sum,
/// sum of squares, for the mean period and its spread), how often a line repeated the previous one of its
/// stream exactly (apart from numbers and times), a 64-bit distinct-line sketch and what its variables held.
public struct TemplateStats: Sendable, Equatable {
    /// Gaps counted (events after the first of each stream).
    public var gaps: Int64 = 0
    /// Sum of the gaps, in seconds.
    public var gapSum: Double = 0
    /// Sum of the squared gaps, in seconds².
    public var gapSquares: Double = 0
    /// Events equal to the previous event of the template in their stream, within a second of it.
    public var repeats: Int64 = 0
    /// Linear-counting sketch: bit `signature >> 58` set for each line signature (union merges).
    public var sketch: UInt64 = 0
    /// ``Filters/VariableTraits`` bits seen (union merges).
    public var traits: UInt8 = 0

    public init(gaps: Int64 = 0, gapSum: Double = 0, gapSquares: Double = 0, repeats: Int64 = 0, sketch: UInt64 = 0, traits: UInt8 = 0) {
        self.gaps = gaps
        self.gapSum = gapSum
        self.gapSquares = gapSquares
        self.repeats = repeats
        self.sketch = sketch
        self.traits = traits
    }

    /// Counts the gap from the stream's previous event of the template (none for the first, or out of order).
    @inline(__always)
    mutating func add(gapFromNs prev: Int64, toNs ns: Int64, repeated: Bool) {
        guard prev != Int64.min, ns >= prev else { return }
        let g = Double(ns &- prev) * 1e-9
        gaps += 1
        gapSum += g
        gapSquares += g * g
        if repeated && g < 1 { repeats += 1 }
    }

    /// Adds another part's statistics (another stream, batch or day).
    public mutating func merge(_ o: TemplateStats) {
        gaps += o.gaps
        gapSum += o.gapSum
        gapSquares += o.gapSquares
        repeats += o.repeats
        sketch |= o.sketch
        traits |= o.traits
    }
}
