/// Section 6: one UTC day's volume (input from the store and row of the report).
public struct DailyVolume: Codable, Sendable, Equatable {
    /// 00:00 UTC of the day, ns since the epoch.
    public var dayNs: Int64
    public var eventsReceived: Int64
    public var bytesReceived: Int64
    public var bytesRetained: Int64
    /// Data plus index bytes on disk for the day's partition.
    public var bytesStored: Int64

    /// One day's figures.
    public init(dayNs: Int64, eventsReceived: Int64, bytesReceived: Int64, bytesRetained: Int64, bytesStored: Int64) {
        self.dayNs = dayNs
        self.eventsReceived = eventsReceived
        self.bytesReceived = bytesReceived
        self.bytesRetained = bytesRetained
        self.bytesStored = bytesStored
    }

    /// `2026-11-23`.
    public var date: String { FigureText.date(dayNs) }
    /// The stacked chart's layers, bottom to top: on disk, saved by compression (retained − stored), removed by noise
    /// rules (received − retained).
    var layers: [Int64] { [bytesStored, max(0, bytesRetained - bytesStored), max(0, bytesReceived - bytesRetained)] }
}
