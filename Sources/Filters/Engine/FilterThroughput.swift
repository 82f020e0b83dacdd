public import LogCore

/// Measures the filter stage alone, for the benchmark: every line through ``NoiseFilter/evaluate``.
public enum FilterThroughput {
    public struct Result: Sendable {
        public var bytes: Int
        public var events: Int
        public var dropped: Int
        public var seconds: Double
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1_000_000 / seconds : 0 }
    }

    /// Runs `lines` (without newlines) through a fresh filter `rounds` times, all in one stream.
    public static func measure(lines: [[UInt8]], config: FilterConfig = .defaultPack, level: LogLevel = .info,
                               rounds: Int = 1) -> Result {
        let filter = NoiseFilter(config: config)
        let labels = StreamLabels(source: "bench", namespace: "default", pod: "web-1", container: "web", deployment: "web")
        let out = ByteBuffer(capacity: 4096)
        var bytes = 0, dropped = 0, events = 0
        let start = ContinuousClock.now
        for _ in 0..<rounds {
            for line in lines {
                line.withUnsafeBufferPointer { p in
                    let v = filter.evaluate(text: p, level: level, labels: labels, ns: Int64(events) * 1_000_000, streamKey: 1, redacted: out)
                    if !v.isStored { dropped += 1 }
                }
                bytes += line.count
                events += 1
            }
        }
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return Result(bytes: bytes, events: events, dropped: dropped, seconds: seconds)
    }
}
