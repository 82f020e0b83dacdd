import LogCore

/// A candidate block's stored data while a search visits it (``EmbeddedStoreReader/scanBlocks``): read from
/// the database only when first asked for, its segment table read once for all the segments decoded.
final class StoredBlockData {
    private let zstd: ZstdCodec
    private var fetch: () throws -> UnsafeRawBufferPointer
    private var parsed: SegmentTable??
    /// The block's templates (`LSG4`), read once for all the segments a search decodes from it (`.some(nil)`: none).
    private var templates: BlockTemplates??
    /// The block's bytes once ``keep()`` copied them.
    private var kept: UnsafeMutableRawBufferPointer?

    init(zstd: ZstdCodec, fetch: @escaping () throws -> UnsafeRawBufferPointer) {
        self.zstd = zstd
        self.fetch = fetch
    }

    deinit { kept?.deallocate() }

    /// Copies the block's bytes out of the database row, which is gone once the visit ends, for decoding later.
    func keep() throws {
        guard kept == nil else { return }
        let bytes = try fetch()
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
        if bytes.count > 0 { copy.copyMemory(from: bytes) }
        kept = copy
        fetch = { UnsafeRawBufferPointer(copy) }
    }

    /// The segment table, read once; nil for single-frame blocks.
    private func table() throws -> SegmentTable? {
        if parsed == nil { parsed = .some(try SegmentedBlock.table(try fetch())) }
        return parsed!
    }

    /// What each segment holds; nil for layouts without summaries (`LSG2`, single frame): decode them whole.
    func summaries() throws -> [SegmentSummary]? {
        guard let t = try table(), t.columnar else { return nil }
        return t.summaries
    }

    /// The segments in `only` (all when nil), each with the index of its first event in the block. `probe`
    /// (with `only`) and `phrases`: the search requires these identifier terms and phrases, `levels` one of these
    /// levels (a mask of `1 << level`; texts that cannot match may come back empty).
    func decode(only: [Int]?, probe: TermProbe?, phrases: PhraseProbe?, levels: Int64, labels: StreamLabels, day: Int32) throws
        -> [(first: Int, block: EventBlock)] {
        let data = try fetch()
        guard let t = try table() else {
            return try SegmentedBlock.decode(data, zstd: zstd, labels: labels, day: day, split: true)
        }
        if templates == nil { templates = .some(try SegmentedBlock.templates(data, table: t, zstd: zstd)) }
        return try SegmentedBlock.decode(data, table: t, zstd: zstd, labels: labels, day: day, only: only, split: true, probe: probe,
                                         phrases: phrases, levels: levels, templates: templates!)
    }
}
