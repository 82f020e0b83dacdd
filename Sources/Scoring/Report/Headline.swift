/// Section 1 figures of one range, derived from the overall ``ScoreInputs``.
public struct HeadlineFigures: Codable, Sendable, Equatable {
    public var received: EventVolume
    public var removedByNoise: NoiseRemoval
    /// Stored events and their text bytes.
    public var retained: EventVolume
    public var bytesStoredData: Int64
    public var bytesStoredIndex: Int64
    /// Data plus index.
    public var bytesStored: Int64
    /// Retained bytes ÷ bytes on disk (what compression and indexing leave); nil when nothing is on disk.
    @RoundedOrNA<TwoDecimals> public var compressionRatio: Double?
    /// Bytes on disk ÷ bytes received.
    @RoundedOrNA<FourDecimals> public var storedShare: Double?
    @RoundedOrNA<TwoDecimals> public var monthlyCost: Double?
    /// What the same volume would cost kept whole (scoring.md's baseline).
    @RoundedOrNA<TwoDecimals> public var baselineCost: Double?
    @RoundedOrNA<TwoDecimals> public var monthlySaving: Double?

    /// The figures of a range's overall inputs.
    public init(_ x: ScoreInputs, config: ScoringConfig) {
        let cost = CostFigures(x, config)
        received = EventVolume(events: x.eventsReceived, bytes: x.bytesReceived)
        removedByNoise = x.removedByNoise
        retained = EventVolume(events: x.storedEvents, bytes: x.bytesRetained)
        bytesStoredData = x.bytesStoredData
        bytesStoredIndex = x.bytesStoredIndex
        bytesStored = x.bytesStored
        compressionRatio = x.bytesStored > 0 ? Double(x.bytesRetained) / Double(x.bytesStored) : nil
        storedShare = x.bytesReceived > 0 ? Double(x.bytesStored) / Double(x.bytesReceived) : nil
        monthlyCost = cost.monthlyCost
        baselineCost = cost.baselineCost
        monthlySaving = cost.monthlySaving
    }
}

/// One line of the headline table: a figure this range and the previous one, and the change.
public struct HeadlineRow: Codable, Sendable, Equatable {
    /// A stable key (`bytes_received`).
    public var key: String
    public var label: String
    public var current: Quantity?
    public var previous: Quantity?
    /// (current − previous) ÷ previous × 100; nil when there is no previous figure or it is 0.
    @RoundedOrNA<OneDecimal> public var changePercent: Double?
}

/// Section 1: what came in, what noise rules took out, what is kept and stored, what it costs, against the
/// previous range.
public struct Headline: Codable, Sendable, Equatable {
    public var current: HeadlineFigures
    /// The previous range's figures; nil when the store holds nothing from then.
    public var previous: HeadlineFigures?
    /// The table every format prints.
    public var rows: [HeadlineRow]

    /// The table rows, with changes computed from the printed (rounded) figures.
    public init(current: HeadlineFigures, previous: HeadlineFigures?) {
        self.current = current
        self.previous = previous
        typealias Pick = (HeadlineFigures) -> Quantity?
        let lines: [(String, String, Pick)] = [
            ("events_received", "Events received", { Quantity($0.received.events) }),
            ("bytes_received", "Bytes received", { Quantity($0.received.bytes, .bytes) }),
            ("bytes_dropped", "Dropped by noise rules", { Quantity($0.removedByNoise.dropped.bytes, .bytes) }),
            ("bytes_sampled", "Sampled away", { Quantity($0.removedByNoise.sampled.bytes, .bytes) }),
            ("bytes_deduplicated", "Deduplicated", { Quantity($0.removedByNoise.deduplicated.bytes, .bytes) }),
            ("bytes_throttled", "Throttled", { Quantity($0.removedByNoise.throttled.bytes, .bytes) }),
            ("bytes_rescued", "Brought back as failure context", { Quantity($0.removedByNoise.rescued.bytes, .bytes) }),
            ("events_retained", "Events retained", { Quantity($0.retained.events) }),
            ("bytes_retained", "Bytes retained", { Quantity($0.retained.bytes, .bytes) }),
            ("bytes_stored", "Stored on disk (data + index)", { Quantity($0.bytesStored, .bytes) }),
            ("compression_ratio", "Compression (retained ÷ stored)", { $0.compressionRatio.map { Quantity($0, .factor) } }),
            ("stored_share", "Stored ÷ received", { $0.storedShare.map { Quantity($0, .ratio) } }),
            ("monthly_cost", "Monthly cost", { $0.monthlyCost.map { Quantity($0, .money) } }),
            ("baseline_cost", "Monthly cost keeping everything", { $0.baselineCost.map { Quantity($0, .money) } }),
            ("monthly_saving", "Monthly saving", { $0.monthlySaving.map { Quantity($0, .money) } }),
        ]
        rows = lines.map { key, label, pick in
            let now = pick(current), before = previous.flatMap(pick)
            var change: Double?
            if let now, let before {
                // Compare the rounded figures, so that the change agrees with the printed numbers.
                let a = FigureText.rounded(now.value, decimals: now.unit.decimals)
                let b = FigureText.rounded(before.value, decimals: before.unit.decimals)
                if b != 0 { change = (a - b) / abs(b) * 100 }
            }
            return HeadlineRow(key: key, label: label, current: now, previous: before, changePercent: change)
        }
    }
}
