import LogCore

/// A candidate block's stored data while a search visits it (``EmbeddedStoreReader/scanBlocks``): read from
/// the database only when first asked for, its segment table parsed once.
final class StoredBlockData {
    private let zstd: ZstdCodec
    private let fetch: () throws -> UnsafeRawBufferPointer
    private var parsed: SegmentTable??

    init(zstd: ZstdCodec, fetch: @escaping () throws -> UnsafeRawBufferPointer) {
        self.zstd = zstd
        self.fetch = fetch
    }

    /// What each segment holds; nil for layouts without summaries (`LSG2`, single frame): decode them whole.
    func summaries() throws -> [SegmentSummary]? {
        if parsed == nil { parsed = .some(try SegmentedBlock.table(try fetch())) }
        guard let t = parsed!, t.columnar else { return nil }
        return t.summaries
    }

    /// The segments in `only` (all when nil), each with the index of its first event in the block. `probe`
    /// (with `only`) and `phrases`: the search requires these identifier terms and phrases, `levels` one of these
    /// levels (a mask of `1 << level`; texts that cannot match may come back empty).
    func decode(only: [Int]?, probe: TermProbe?, phrases: PhraseProbe?, levels: Int64, labels: StreamLabels, day: Int32) throws
        -> [(first: Int, block: EventBlock)] {
        try SegmentedBlock.decode(try fetch(), zstd: zstd, labels: labels, day: day, only: only, split: true, probe: probe, phrases: phrases,
                                  levels: levels)
    }
}
