#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Filters
import LogCore
import LogIndexer

/// `decode`: the bytes as a log file, as `FuzzTests` feeds its structured garbage. The first byte picks the
/// formats (`--format`): `auto` and `InputFormat.allCases[b % 8]` for the first pass, `allCases[b / 8 % 8]` for
/// the second (so a seed that starts with `c` is read as JSON); the rest is the file.
///
/// - Split at newlines and fed to a ``SourceDecoder`` (default limits), into a ``BatchBuilder`` with the
///   default noise pack, then flushed: every block's columns agree.
/// - Read through a ``LineReader`` with a small line limit and chunk (over a pipe), whose lines tile the
///   input, then fed with tiny join limits to a decoder, whose checkpoint reads back from its text form and
///   restores into a second decoder that reads the same lines.
enum DecodeTarget {
    static let readNs: Int64 = 1_763_546_400_000_000_000

    static func run(_ data: UnsafeRawBufferPointer) {
        guard let selector = data.first else { return }
        let formats = InputFormat.allCases
        let first = formats[Int(selector) % formats.count], second = formats[Int(selector) / formats.count % formats.count]
        let bytes = [UInt8](data.dropFirst())
        var lines: [(Range<Int>, Bool)] = []  // range, followed by a newline
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append((start..<i, true))
            start = i + 1
        }
        if start < bytes.count { lines.append((start..<bytes.count, false)) }

        bytes.withUnsafeBufferPointer { all in
            for format in first == .auto ? [.auto] : [.auto, first] {
                let (builder, decoder) = pipeline(format, JoinLimits())
                for (k, (r, newline)) in lines.enumerated() {
                    decoder.line(UnsafeBufferPointer(rebasing: all[r]), readNs: readNs + Int64(k) * 1_000_000, truncated: k % 13 == 12,
                                 start: Int64(r.lowerBound), end: Int64(r.upperBound + (newline ? 1 : 0)))
                }
                decoder.flush()
                finish(builder, format: format)
            }
        }
        throughLineReader(bytes, format: second)
    }

    static func pipeline(_ format: InputFormat, _ limits: JoinLimits) -> (BatchBuilder, SourceDecoder) {
        let builder = BatchBuilder()
        builder.filter = NoiseFilter(config: .defaultPack)
        let decoder = SourceDecoder(labels: StreamLabels(source: "fuzz.log", namespace: "ns", pod: "app-5d8c7f9b6-abcde", container: "app"),
                                    format: format, limits: limits, sink: builder)
        return (builder, decoder)
    }

    static func finish(_ builder: BatchBuilder, format: InputFormat) {
        builder.closeDedupWindows(nowNs: Int64.max)
        let batch = builder.takeBatch()
        for block in batch.blocks {
            let n = block.count
            FuzzCheck.that(block.levels.count == n && block.flags.count == n && block.formats.count == n && block.templates.count == n
                           && block.lengths.count == n, "\(format): block columns of different lengths")
            FuzzCheck.that(block.lengths.reduce(0) { $0 + Int($1) } == block.bodies.count, "\(format): block lengths do not add up to its text")
        }
    }

    static func throughLineReader(_ bytes: [UInt8], format: InputFormat) {
        let input = Array(bytes.prefix(32 << 10))  // what a pipe holds without a reader
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { FuzzCheck.fail("pipe: errno \(errno)") }
        defer { close(fds[0]) }
        var written = 0
        while written < input.count {
            let n = input.withUnsafeBytes { write(fds[1], $0.baseAddress! + written, input.count - written) }
            guard n > 0 else { FuzzCheck.fail("write to pipe: errno \(errno)") }
            written += n
        }
        close(fds[1])
        let maxLine = 200
        let reader = LineReader(fd: fds[0], maxLine: maxLine, chunk: 64)
        var limits = JoinLimits()
        limits.maxBytes = 300
        limits.maxPieces = 3
        limits.maxLines = 4
        let (builder, decoder) = pipeline(format, limits)
        var seen: [([UInt8], Bool, Int64, Int64)] = []
        var prevEnd: Int64 = 0
        var prevTruncated = false
        do {
            try reader.readAll { line, truncated, start, end in
                // A cut line's end is where its head ended when the rest was still unread; the rest is skipped.
                FuzzCheck.that(start == prevEnd || (prevTruncated && start > prevEnd),
                               "LineReader: a line starts at \(start), the previous one ended at \(prevEnd)")
                FuzzCheck.that(end > start || (end == start && line.isEmpty), "LineReader: line \(start)..<\(end)")
                if !truncated {
                    FuzzCheck.that(line.count <= maxLine, "LineReader: a line of \(line.count) bytes over the limit, not cut")
                    let has = Int(end - start) - line.count
                    FuzzCheck.that(has == 0 || has == 1, "LineReader: line of \(line.count) bytes spans \(start)..<\(end)")
                    FuzzCheck.that(line.elementsEqual(input[Int(start)..<(Int(start) + line.count)]), "LineReader: line text differs from the input")
                }
                prevEnd = end
                prevTruncated = truncated
                seen.append((Array(line), truncated, start, end))
                decoder.line(line, readNs: readNs, truncated: truncated, start: start, end: end)
            }
        } catch {
            FuzzCheck.fail("LineReader on a pipe threw \(error)")
        }
        FuzzCheck.that(reader.offset == Int64(input.count) && (prevEnd == Int64(input.count) || (prevTruncated && prevEnd < reader.offset)),
                       "LineReader: read \(reader.offset), lines end at \(prevEnd), input has \(input.count) bytes")
        let position = decoder.checkpoint(readerOffset: reader.offset)
        FuzzCheck.that(position.resume >= 0 && position.resume <= reader.offset, "checkpoint resumes at \(position.resume) of \(reader.offset)")
        let back = SourcePosition(resume: position.resume, skipsText: position.skipsText)
        FuzzCheck.that(back == position, "checkpoint \(position) reads back from \(position.skipsText.debugDescription) as \(String(describing: back))")
        decoder.flush()
        finish(builder, format: format)

        // A restart from that checkpoint: the lines from `resume` on, with the skips restored.
        let (builder2, decoder2) = pipeline(format, limits)
        decoder2.restore(position)
        for (line, truncated, start, end) in seen where start >= position.resume {
            line.withUnsafeBufferPointer { decoder2.line($0, readNs: readNs, truncated: truncated, start: start, end: end) }
        }
        decoder2.flush(idleSinceNs: readNs)
        decoder2.flush()
        finish(builder2, format: format)
    }
}
