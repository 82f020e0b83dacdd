/// The on-disk format a container runtime writes.
enum ContainerLogFormat: String, Sendable {
    /// CRI (containerd, CRI-O): `<RFC3339Nano> <stream> <P|F> <message>`
    case cri
    /// Docker json-file: `{"log":"message\n","stream":"stdout","time":"..."}`
    case docker
}

/// Frames application output as container log lines: one line per `\n`-separated line of an
/// event, and lines over 16 KiB split into partial pieces as the runtime does.
struct ContainerLineWriter {
    static let maxPiece = 16 * 1024

    let format: ContainerLogFormat
    let output: FileOutput
    private(set) var lines = 0

    init(format: ContainerLogFormat, output: FileOutput) {
        self.format = format
        self.output = output
    }

    /// Writes `event` at `time` and returns the time of the last line written.
    mutating func write(_ event: UnsafeBufferPointer<UInt8>, stream: LogStream, time: Int64, rng: inout SplitMix64) throws -> Int64 {
        var lineTime = time
        var start = 0
        var i = 0
        while i <= event.count {
            if i == event.count || event[i] == UInt8(ascii: "\n") {
                var pieceStart = start
                repeat {
                    let pieceEnd = min(i, pieceStart + Self.maxPiece)
                    let isLast = pieceEnd == i
                    writeLine(UnsafeBufferPointer(rebasing: event[pieceStart..<pieceEnd]), stream: stream, time: lineTime, partial: !isLast)
                    lines += 1
                    pieceStart = pieceEnd
                    lineTime += 1 + Int64(rng.below(30_000))
                } while pieceStart < i
                start = i + 1
            }
            i += 1
        }
        try output.flushIfNeeded()
        return lineTime
    }

    private func writeLine(_ line: UnsafeBufferPointer<UInt8>, stream: LogStream, time: Int64, partial: Bool) {
        let out = output.buffer
        switch format {
        case .cri:
            out.appendTime(time, .rfc3339Nano)
            let tag: StaticString = stream == .stdout ? (partial ? " stdout P " : " stdout F ") : (partial ? " stderr P " : " stderr F ")
            out.append(tag)
            out.append(line)
            out.append(UInt8(ascii: "\n"))
        case .docker:
            out.append("{\"log\":\"")
            appendJSONEscaped(line, out, html: true)
            let streamField: StaticString = stream == .stdout ? "\",\"stream\":\"stdout\",\"time\":\"" : "\",\"stream\":\"stderr\",\"time\":\""
            if !partial { out.append("\\n") }
            out.append(streamField)
            out.appendTime(time, .rfc3339Nano)
            out.append("\"}\n")
        }
    }
}
