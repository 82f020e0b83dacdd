import Foundation
@testable import LogIndexer
import LogCore
import Testing

/// Template-encoded segments give back every text byte for byte: the cases that take each encoding's edges, and
/// every line of every file in ../shared/corpus.
@Suite struct TextTemplateTests {
    static let ns: Int64 = 1_763_546_400_123_456_789  // 2025-11-19T10:00:00.123456789Z

    func block(_ texts: [[UInt8]], ns: (Int) -> Int64 = { Self.ns + Int64($0) * 1_000_000 }, mined: (Int) -> UInt64 = { UInt64($0 % 3) }) -> EventBlock {
        var b = EventBlock(labels: StreamLabels(source: "t"), day: 20_411)
        for (i, t) in texts.enumerated() {
            t.withUnsafeBufferPointer { b.append(ns: ns(i), flags: [], level: .info, format: .plain, template: mined(i), body: $0) }
        }
        return b
    }

    func roundTrip(_ b: EventBlock, zstd: ZstdCodec = ZstdCodec(level: 3)) throws -> (columnar: Int, wholeTexts: Int) {
        let segments = SegmentedBlock.segments(of: b)
        let data = SegmentedBlock.encode(b, segments: segments, encoder: ColumnarSegmentEncoder(zstd: zstd))
        let back = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day) }[0].block
        #expect(back.bodies == b.bodies)
        #expect(back.lengths == b.lengths)
        #expect(back.timestamps == b.timestamps && back.templates == b.templates && back.levels == b.levels && back.flags == b.flags)
        let split = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, split: true) }
        #expect(split.map(\.block.count).reduce(0, +) == b.count)
        // The layout before block templates (each segment its own) gives back the same.
        let old = SegmentedBlock.encodeSegmentTemplates(b, segments: segments, encoder: ColumnarSegmentEncoder(zstd: zstd))
        let again = try old.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day) }[0].block
        #expect(again.bodies == b.bodies && again.lengths == b.lengths && again.templates == b.templates)
        return (data.count, SegmentedBlock.encodeWholeTexts(b, segments: segments, zstd: zstd).count)
    }

    static let cases: [(String, String)] = [
        ("empty", ""),
        ("words only", "connection refused by upstream"),
        ("rfc3339 millis, the event's own time", "time=2025-11-19T10:00:00.123Z level=info"),
        ("nanoseconds, another instant", "2025-11-19T09:59:58.999999999Z stdout F x"),
        ("space separator, comma fraction", "2025-11-19 10:00:01,250 INFO root: started"),
        ("seconds only", "at 2025-11-19T10:00:00 done"),
        ("ten fraction digits are not a time", "2025-11-19T10:00:00.1234567890Z"),
        ("no such day", "2025-02-29T10:00:00Z 2024-02-29T10:00:00Z 2025-13-01T00:00:00Z 2025-11-19T24:00:00Z"),
        ("leap second", "2016-12-31T23:59:60Z"),
        ("far times", "1900-01-01T00:00:00Z 2261-12-31T23:59:59.999999999Z 1899-12-31T23:59:59Z 2262-01-01T00:00:00Z"),
        ("time glued to digits", "12025-11-19T10:00:00Z 2025-11-19T10:00:001"),
        ("short time", "2025-11-19T10:00"),
        ("integers", "0 7 42 100000000000000000 999999999999999999 1000000000000000000 18446744073709551615 99999999999999999999"),
        ("leading zeros", "00 007 0000000000000000001 00000000000000000000 01:02:03"),
        ("hex", "deadbeef 4bf92f3577b34da6a3ce929d0e0e4736 abc123 4BF92F35 0xff a1b2c3d4e"),
        ("uuids", "4db50c67-8341-46f5-bd0d-75c080c52539 e4d0d648-81af-4470-996d-9c2ee1ff95d7 E4D0D648-81AF-4470-996D-9C2EE1FF95D7 4db50c67-8341-46f5-bd0d-75c080c5253"),
        ("uuid run on", "4db50c67-8341-46f5-bd0d-75c080c52539abc and x4db50c67-8341-46f5-bd0d-75c080c52539"),
        ("words with digits", "x86_64 v1.2.3 http2 10.244.1.1:40181 57.718ms -5 +3 1e9 bfmkkb2s45"),
        ("marker bytes", "a\u{10}b\u{11}c\u{12}\u{13}\u{14}\u{15}\u{16}\u{17}\u{0F} 1\u{11}2"),
        ("NUL and controls", "a\u{0}b 1\u{0}2 \u{1B}[31mred\u{1B}[0m\t\r"),
        ("non-ASCII", "café 42€ 日本語123 ü2025-11-19T10:00:00Z"),
        ("web server times", "10.1.2.3 - - [19/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200 [01/Jan/1900:00:00:00 -0800] 31/Dec/2261:23:59:59"),
        ("not web server times", "19/Nov/2025:10:00 29/Feb/2025:10:00:00 19/Now/2025:10:00:00 19/Nov/2025:24:00:00 19/Nov/2025:10:00:001 19/Nov/2025:10:00:00x 1/Nov/2025:10:00:00 19/Nov/2262:00:00:00"),
    ]

    @Test(arguments: cases)
    func textsComeBackByteForByte(_ c: (String, String)) throws {
        let text = Array(c.1.utf8)
        // The same text at several event times: before, at and after the time it names, and far away.
        let times: [Int64] = [Self.ns, Self.ns - 1, Self.ns + 86_400_000_000_000, 0, -1, Int64.max, Int64.min]
        _ = try roundTrip(block(Array(repeating: text, count: times.count), ns: { times[$0] }))
    }

    @Test func invalidUTF8AndEveryByteValue() throws {
        var texts: [[UInt8]] = [[0xFF, 0xFE, 0x31, 0x32], [0xC3], [0xE2, 0x82], Array(0...255), Array((0...255).reversed())]
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<200 {
            texts.append((0..<Int(rng % 300)).map { _ in
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Mostly digits, hex letters, dashes, colons and marker bytes: where the encodings take their turns.
                let pool: [UInt8] = Array("0123456789abcdefT:-. Z,".utf8) + [0x10, 0x11, 0x12, 0x16, 0x00, 0xFF]
                return pool[Int(rng >> 33) % pool.count]
            })
        }
        _ = try roundTrip(block(texts))
    }

    @Test func timesInTheTextCostAlmostNothing() throws {
        // 2,000 events whose text starts with their own time (to the millisecond): the times column holds a zero each.
        let start: Int64 = 1_763_546_400_000_000_000  // 2025-11-19T10:00:00Z
        let texts = (0..<2000).map { i in Array("2025-11-19T10:\(String(format: "%02d:%02d", i / 60, i % 60)).123Z request \(i) done".utf8) }
        let b = block(texts, ns: { start + Int64($0) * 1_000_000_000 + 123_000_000 })
        let sizes = try roundTrip(b)
        #expect(sizes.columnar * 3 < sizes.wholeTexts * 2, "\(sizes)")
    }

    @Test func webServerTimesCostAlmostNothing() throws {
        // 2,000 access log lines whose time is their event's (to the second): six integers and a template per leading
        // zero each before, now a zero in the times column.
        let start: Int64 = 1_763_546_400_000_000_000  // 2025-11-19T10:00:00Z
        let texts = (0..<2000).map { i in Array("10.0.0.1 - - [19/Nov/2025:10:\(String(format: "%02d:%02d", i / 60, i % 60)) +0000] \"GET /x HTTP/1.1\" 200 5".utf8) }
        let b = block(texts, ns: { start + Int64($0) * 1_000_000_000 })
        var t: [UInt8] = [], vars = TextTemplate.Variables()
        b.bodies.withUnsafeBufferPointer { all in TextTemplate.encode(UnsafeBufferPointer(rebasing: all[0..<Int(b.lengths[0])]), ns: start, template: &t, vars: &vars) }
        #expect(vars.times == [0] && t.contains(TextTemplate.time))
        let sizes = try roundTrip(b)
        #expect(sizes.columnar * 2 < sizes.wholeTexts, "\(sizes)")
    }

    /// Every line of every corpus file, then each file (up to 1 MiB) as one text.
    @Test func everyCorpusFileRoundTrips() throws {
        guard let shared = sharedCorpus(for: "TextTemplateTests.everyCorpusFileRoundTrips"), let walker = FileManager.default.enumerator(atPath: shared.path) else {
            return
        }
        var files = 0, bytes = 0, columnar = 0, whole = 0
        let zstd = ZstdCodec(level: 7)
        for case let path as String in walker {
            let url = shared.appendingPathComponent(path)
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  let data = FileManager.default.contents(atPath: url.path) else { continue }
            let all = [UInt8](data)
            let lines = all.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            // One mined template for all (the miner's ids follow the text templates; cycling them would split each).
            let sizes = try roundTrip(block(lines, mined: { _ in 0 }), zstd: zstd)
            if all.count <= 1 << 20 { _ = try roundTrip(block([all]), zstd: zstd) }
            files += 1
            bytes += all.count
            columnar += sizes.columnar
            whole += sizes.wholeTexts
        }
        #expect(files > 100)
        print(String(format: "corpus round trip: %d files, %d bytes; template-encoded %.2f%%, whole texts %.2f%% (zstd -7, one block per file)",
                     files, bytes, 100 * Double(columnar) / Double(max(bytes, 1)), 100 * Double(whole) / Double(max(bytes, 1))))
    }
}

/// A search for an identifier rebuilds only the texts whose variables may hold it: never fewer than hold it.
@Suite struct TermProbeTests {
    static let texts = [
        "GET /api/orders request_id=981042a291289cc9 status=200",
        "trace 4DB50C67-8341-46F5-BD0D-75C080C52539 upper-case uuid",
        "trace 4db50c67-8341-46f5-bd0d-75c080c52539 lower-case uuid",
        "user 12345678 logged in at 2025-11-19T10:00:00.123456789 from 10.1.2.3",
        "fraction then letters 2025-11-19T10:00:00.123456abc end",
        #"{"msg":"escaped \u0061bc12345678 id"}"#,
        "ID ABC12345678 upper-case word",
        "nothing to see here",
        "uuid glued 4db50c67-8341-46f5-bd0d-75c080c52539x9 end",
        "padded 0012345678 and 00000000000000000012345678",
        "time=2025-11-19T10:00:00.123456Z level=info request_id=0123abcd0123abcd",
    ]

    @Test(arguments: ["981042a291289cc9", "4db50c67", "75c080c52539", "12345678", "123456789", "123456abc", "abc12345678",
                      "0012345678", "bd0d", "75c080c52539x9", "0000000000000012345678", "123456z", "0123abcd0123abcd"])
    func everyEventHoldingTheTermIsRebuilt(_ term: String) throws {
        var b = EventBlock(labels: StreamLabels(source: "t"), day: 20_411)
        for (i, t) in Self.texts.enumerated() {
            var s = t
            s.withUTF8 { b.append(ns: 1_763_546_400_000_000_000 + Int64(i), flags: [], level: .info, format: .json, body: $0) }
        }
        let zstd = ZstdCodec(level: 3)
        let data = SegmentedBlock.encode(b, segments: [0..<b.count], encoder: ColumnarSegmentEncoder(zstd: zstd))
        let probe = TermProbe([Array(term.utf8)])
        let back = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, only: [0], probe: probe) }
        let got = back[0].block
        var offset = 0, rebuilt = 0
        for (i, t) in Self.texts.enumerated() {
            let len = Int(got.lengths[i])
            let text = Array(got.bodies[offset..<(offset + len)])
            offset += len
            var terms = TermSet()
            Array(t.utf8).withUnsafeBufferPointer { terms.addTerms(of: $0, format: BodyFormat.json.rawValue) }
            let holds = terms.identifierHashes.contains(Tokenizer.hash(term))
            #expect(text.isEmpty || text == Array(t.utf8), "event \(i) rebuilt wrong")
            if holds { #expect(text == Array(t.utf8), "event \(i) holds \(term) but was not rebuilt") }
            if !text.isEmpty { rebuilt += 1 }
        }
        #expect(rebuilt < Self.texts.count, "\(term): every event rebuilt")
    }

    /// Passing over events reads varints 8 bytes at a time and word entries by their lengths: every count of them from
    /// every start lands where reading them one by one does, and a column cut short is an error, not a wrong position.
    @Test func columnsArePassedOverWhereReadingThemEndsUp() throws {
        var rng = SplitMixRNG(seed: 16)
        var ints: [UInt8] = [], words: [UInt8] = []
        for _ in 0..<300 {
            let v = rng.next() >> (rng.next() % 64)
            BlockCodec.putVarint(v, &ints)
            let len = Int(rng.next() % 300)
            BlockCodec.putVarint(UInt64(len), &words)
            words += (0..<len).map { UInt8(truncatingIfNeeded: $0) }
        }
        for start in 0..<40 {
            var reader = ColumnCursor(ints), w = ColumnCursor(words)
            for _ in 0..<start { _ = try reader.varint(); let l = try w.varint(); w.at += Int(l) }
            for n in [0, 1, 2, 7, 8, 9, 33, 300 - start] {
                var a = reader, b = reader, c = w, d = w
                for _ in 0..<n { _ = try a.varint(); let l = try c.varint(); c.at += Int(l) }
                try b.skipVarints(n)
                try d.skipWords(n)
                #expect(a.at == b.at && c.at == d.at, "\(n) from \(start)")
            }
            var past = reader, pastWords = w
            #expect(throws: StoreError.self) { try past.skipVarints(301 - start) }
            #expect(throws: StoreError.self) { try pastWords.skipWords(301 - start) }
        }
    }

    /// Each text its own segment: a segment is skipped whole (``ProbeHits/any``) only when no event of
    /// it holds the term, and a skipped one keeps its events' times and templates.
    @Test(arguments: ["981042a291289cc9", "4db50c67", "75c080c52539", "12345678", "123456abc", "abc12345678", "bd0d",
                      "75c080c52539x9", "feedfacecafebeef", "123456z", "0123abcd0123abcd"])
    func aSegmentIsSkippedOnlyWhenNoEventHoldsTheTerm(_ term: String) throws {
        var b = EventBlock(labels: StreamLabels(source: "t"), day: 20_411)
        for (i, t) in Self.texts.enumerated() {
            var s = t
            s.withUTF8 { b.append(ns: 1_763_546_400_000_000_000 + Int64(i), flags: [], level: .info, format: .json, template: UInt64(i), body: $0) }
        }
        let zstd = ZstdCodec(level: 3)
        let data = SegmentedBlock.encode(b, segments: b.timestamps.indices.map { $0..<($0 + 1) }, encoder: ColumnarSegmentEncoder(zstd: zstd))
        let probe = TermProbe([Array(term.utf8)])
        var skipped = 0
        for (i, t) in Self.texts.enumerated() {
            let got = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, only: [i], probe: probe) }[0].block
            #expect(got.count == 1 && got.timestamps == [b.timestamps[i]] && got.templates == [UInt64(i)])
            var terms = TermSet()
            Array(t.utf8).withUnsafeBufferPointer { terms.addTerms(of: $0, format: BodyFormat.json.rawValue) }
            if terms.identifierHashes.contains(Tokenizer.hash(term)) { #expect(got.bodies == Array(t.utf8), "segment \(i) holds \(term)") }
            if got.bodies.isEmpty { skipped += 1 }
        }
        #expect(skipped > 0, "\(term): no segment skipped")
        if term.hasSuffix("z") == false, !term.allSatisfy(\.isNumber), term != "0123abcd0123abcd" {
            // A time running on into `Z` joins it into one term (`123456z`): only a term of that shape needs the text.
            let last = Self.texts.count - 1
            let got = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, only: [last], probe: probe) }[0].block
            #expect(got.bodies.isEmpty, "\(term): the segment of a time ending in Z was rebuilt")
        }
    }

    /// ``TermProbe/opaqueTemplates`` (memchr for marker bytes) marks every template that ``TextRebuilder/isOpaque``
    /// (compiled) finds opaque: the templates of every corpus line and of the cases above, for terms of those lines
    /// and terms shaped to join a time or UUID to the letters after it.
    @Test func opaqueTemplatesFromMarkerBytesAgreeWithCompiledTemplates() throws {
        var lines = Self.texts.map { Array($0.utf8) }
        if let shared = sharedCorpus(for: "TermProbeTests.opaqueTemplatesFromMarkerBytesAgreeWithCompiledTemplates"),
           let walker = FileManager.default.enumerator(atPath: shared.path) {
            for case let path as String in walker {
                let url = shared.appendingPathComponent(path)
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                      let data = FileManager.default.contents(atPath: url.path) else { continue }
                lines += [UInt8](data.prefix(1 << 18)).split(separator: 0x0A).prefix(300).map(Array.init)
            }
        }
        var checked = 0, opaque = 0
        for window in stride(from: 0, to: lines.count, by: 50).map({ Array(lines[$0..<min($0 + 50, lines.count)]) }) {
            var column: [UInt8] = [7, 7], bounds: [Range<Int>] = []
            for l in window {
                var t: [UInt8] = [], vars = TextTemplate.Variables()
                l.withUnsafeBufferPointer { TextTemplate.encode($0, ns: TextTemplateTests.ns, template: &t, vars: &vars) }
                bounds.append((column.count - 2)..<(column.count - 2 + t.count))
                column += t
            }
            var terms: [[UInt8]] = [Array("123456z".utf8), Array("00z".utf8), Array("75c080c52539x9".utf8)]
            for l in window.prefix(5) {
                l.withUnsafeBufferPointer { Tokenizer.forEachTerm(in: $0) { t in if t.count < 64, Tokenizer.isIdentifierLike(t) { terms.append(Array(t)) } } }
            }
            for term in terms {
                guard let probe = TermProbe([term]) else { continue }
                let marks = probe.opaqueTemplates(column, base: 2, bounds: bounds)
                var r = try TextRebuilder(templates: column, base: 2, bounds: bounds, ints: [], hex: [], times: [], strs: [])
                try column.withUnsafeBufferPointer { p in
                    for t in bounds.indices where try r.isOpaque(t, templates: p, probe: probe) {
                        #expect(marks[t], "template \(t) is opaque to \(String(decoding: term, as: UTF8.self))")
                        opaque += 1
                    }
                }
                checked += bounds.count
            }
        }
        #expect(checked > 10_000 && opaque > 0)
        print("opaque templates: \(opaque) of \(checked) (template, term) pairs opaque, each marked from its marker bytes")
    }

    /// Terms of the first, middle and last lines of each 256-line segment of every corpus file: every line of the
    /// segment that holds the term comes back whole, and every line that comes back is whole. The walk passes over
    /// events by their templates' shapes and stops after the last place a term occurs, so a term late in a segment,
    /// or in several of its lines, is what this checks.
    @Test func everyCorpusLineHoldingAProbedTermIsRebuilt() throws {
        let zstd = ZstdCodec(level: 1)
        var probed = 0, held = 0, passedOver = 0
        let found = try forEachCorpusBlock("TermProbeTests.everyCorpusLineHoldingAProbedTermIsRebuilt", lines: 1_024) { path, lines, b in
            let (cuts, encoded) = segmented(b, by: 256, zstd: zstd)
            let hashes = lines.map { l in
                var terms = TermSet()
                l.withUnsafeBufferPointer { terms.addTerms(of: $0, format: BodyFormat.plain.rawValue) }
                return terms.identifierHashes
            }
            for (k, cut) in cuts.enumerated() {
                for at in [cut.lowerBound, (cut.lowerBound + cut.upperBound) / 2, cut.upperBound - 1] {
                    // The line's last identifier term.
                    guard let term = identifierTerms(lines[at]).last, let probe = TermProbe([term]) else { continue }
                    probed += 1
                    let got = try probedSegment(k, of: encoded, b, probe, zstd: zstd)
                    var offset = 0
                    for i in cut {
                        let len = Int(got.lengths[i - cut.lowerBound])
                        let text = Array(got.bodies[offset..<(offset + len)])
                        offset += len
                        #expect(text.isEmpty || text == lines[i], "\(path) line \(i) rebuilt wrong")
                        if hashes[i].contains(term.withUnsafeBufferPointer(Tokenizer.hash)) {
                            held += 1
                            #expect(text == lines[i], "\(path) line \(i) holds \(String(decoding: term, as: UTF8.self)) but was not rebuilt")
                        } else if text.isEmpty {
                            passedOver += 1
                        }
                    }
                }
            }
        }
        guard found else { return }
        #expect(probed > 500 && passedOver > held)
        print("probed walk over the corpus: \(probed) terms, \(held) lines holding them all rebuilt, \(passedOver) other lines passed over")
    }

    /// Every identifier term of every corpus line, looked up in the 64-line segment that holds the line: the segment
    /// is never skipped and the line comes back whole.
    @Test func corpusIdentifiersAreNeverSkipped() throws {
        let zstd = ZstdCodec(level: 1)
        var looked = 0, segments = 0, skippedElsewhere = 0
        let found = try forEachCorpusBlock("TermProbeTests.corpusIdentifiersAreNeverSkipped", lines: 2_048) { path, lines, b in
            let (cuts, encoded) = segmented(b, by: 64, zstd: zstd)
            for (k, cut) in cuts.enumerated() {
                // One identifier term of the segment's first line that has one, looked up here and in the next segment.
                var term: [UInt8]?
                var line = cut.lowerBound
                for i in cut where term == nil {
                    term = identifierTerms(lines[i]).first
                    line = i
                }
                guard let term, let probe = TermProbe([term]) else { continue }
                segments += 1
                let got = try probedSegment(k, of: encoded, b, probe, zstd: zstd)
                let offset = got.lengths[0..<(line - cut.lowerBound)].reduce(0) { $0 + Int($1) }
                let len = Int(got.lengths[line - cut.lowerBound])
                #expect(Array(got.bodies[offset..<(offset + len)]) == lines[line], "\(path) line \(line): \(String(decoding: term, as: UTF8.self))")
                looked += 1
                if k + 1 < cuts.count {
                    let next = try probedSegment(k + 1, of: encoded, b, probe, zstd: zstd)
                    if next.bodies.isEmpty { skippedElsewhere += 1 }
                }
            }
        }
        guard found else { return }
        #expect(looked > 1_000)
        print("segment probe over the corpus: \(looked) identifier terms found in their own segment; the next segment skipped whole for \(skippedElsewhere)")
    }

    /// `b` cut into segments of `size` events, encoded as a stored block.
    func segmented(_ b: EventBlock, by size: Int, zstd: ZstdCodec) -> (cuts: [Range<Int>], encoded: [UInt8]) {
        let cuts = stride(from: 0, to: b.count, by: size).map { $0..<min($0 + size, b.count) }
        return (cuts, SegmentedBlock.encode(b, segments: cuts, encoder: ColumnarSegmentEncoder(zstd: zstd)))
    }

    /// Segment `k` of block `b`, encoded, decoded as an id lookup for `probe` decodes it.
    func probedSegment(_ k: Int, of encoded: [UInt8], _ b: EventBlock, _ probe: TermProbe, zstd: ZstdCodec) throws -> EventBlock {
        try encoded.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, only: [k], probe: probe) }[0].block
    }

    /// The identifier-like terms of a line that a lookup can ask for, in order.
    func identifierTerms(_ line: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        line.withUnsafeBufferPointer { Tokenizer.forEachTerm(in: $0) { t in
            if t.count < Tokenizer.maxTermLength, Tokenizer.isIdentifierLike(t) { out.append(Array(t)) }
        } }
        return out
    }

    /// Each shared corpus file's first `lines` lines (of its first MiB) and a block of them as plain text, one event a
    /// line; files with none are passed over. False when the corpus is absent (reported as skipped).
    func forEachCorpusBlock(_ test: String, lines limit: Int, _ body: (_ path: String, _ lines: [[UInt8]], _ block: EventBlock) throws -> Void) throws -> Bool {
        guard let shared = sharedCorpus(for: test), let walker = FileManager.default.enumerator(atPath: shared.path) else { return false }
        for case let path as String in walker {
            let url = shared.appendingPathComponent(path)
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  let data = FileManager.default.contents(atPath: url.path) else { continue }
            let lines = [UInt8](data.prefix(1 << 20)).split(separator: 0x0A).prefix(limit).map(Array.init)
            var b = EventBlock(labels: StreamLabels(source: "t"), day: 20_411)
            for (i, l) in lines.enumerated() {
                l.withUnsafeBufferPointer { b.append(ns: 1_763_546_400_000_000_000 + Int64(i), flags: [], level: .info, format: .plain, body: $0) }
            }
            guard b.count > 0 else { continue }
            try body(path, lines, b)
        }
        return true
    }
}
