import Foundation

/// The agent's "store": each batch the tail pipeline commits is sent to `logsift serve` and retried until the
/// server acknowledges it; only then do the files' positions advance (in the state directory). While the server
/// does not answer, `append` does not return, so the pipeline stops reading: the files are the buffer.
public final class ShipWriter: LogWriter {
    /// Retry pacing: exponential from `baseDelay` to `maxDelay`, each wait drawn from its upper half (jitter).
    public struct Backoff: Sendable {
        public var baseDelay = 0.2
        public var maxDelay = 5.0
        public init(baseDelay: Double = 0.2, maxDelay: Double = 5.0) {
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
        }
        public func delay(attempt: Int, retryAfter: Double?) -> Double {
            let d = min(maxDelay, baseDelay * Double(1 << min(attempt, 20)))
            return max(retryAfter.map { min($0, maxDelay) } ?? 0, d / 2 + Double.random(in: 0...(d / 2)))
        }
    }

    /// The agent was asked to stop while a batch waited for the server; it stays in flight for the next start.
    public struct Stopped: Error, CustomStringConvertible {
        public var description: String { "stopped while the server had not acknowledged the batch in flight (it is sent again at the next start)" }
    }

    private var state: AgentState
    private let node: String
    private let filteredAtAgent: Bool
    private let send: (_ body: [UInt8], _ id: String) -> ShipClient.Outcome
    private let backoff: Backoff
    private let status: ShipStatus
    private let shouldStop: @Sendable () -> Bool
    private let log: (@Sendable (String) -> Void)?

    /// `send` is one attempt (``ShipClient/send(_:id:)``); a test may pass its own.
    public init(state: AgentState, node: String, filteredAtAgent: Bool, backoff: Backoff = Backoff(), status: ShipStatus,
                shouldStop: @escaping @Sendable () -> Bool, log: (@Sendable (String) -> Void)? = nil,
                send: @escaping (_ body: [UInt8], _ id: String) -> ShipClient.Outcome) {
        self.state = state
        self.node = node
        self.filteredAtAgent = filteredAtAgent
        self.send = send
        self.backoff = backoff
        self.status = status
        self.shouldStop = shouldStop
        self.log = log
        status.set(state.files)
    }

    /// Sends the batch left in flight by an earlier run (if any) until acknowledged, then applies its positions.
    /// Call before reading resumes. Returns the acknowledged positions to resume from.
    public func recover() throws -> [TailCheckpoint] {
        if let body = state.inflight() {
            let batch = try ShipBatch.decompress(body, limit: 1 << 30)
            if batch.agent != state.agent {
                log?("ship: the batch left in flight belongs to agent \(batch.agent), not \(state.agent); it is not sent")
            } else if batch.seq > state.seq {
                log?("ship: sending again batch \(batch.seq) left in flight by the last run")
                try deliver(body, batch)
            }
            state.removeInflight()
        }
        return state.checkpoints
    }

    public func append(_ batch: EventBatch) throws {
        var b = ShipBatch(agent: state.agent, node: node, seq: state.seq + 1, filteredAtAgent: filteredAtAgent)
        b.blocks = batch.blocks.filter { $0.count > 0 }
        b.noise = batch.noise
        b.counters = batch.counters
        b.checkpoints = batch.checkpoints
        b.forget = batch.forget
        b.from = batch.checkpoints.compactMap { state.files[$0.key] }
        let body = b.compressed()
        try state.writeInflight(body)
        try deliver(body, b)
        state.removeInflight()
    }

    /// Sends until acknowledged, then saves the positions the batch leads to.
    private func deliver(_ body: [UInt8], _ b: ShipBatch) throws {
        var attempt = 0
        while true {
            var outcome = send(body, b.id)
            if outcome == .committed, let f = Self.faults {
                // Test hook (LOGSIFT_SHIP_FAULTS): the acknowledgement lost on the way, or the agent killed right after it.
                if Double.random(in: 0..<1) < f.exitAfterAck { _exit(137) }
                if Double.random(in: 0..<1) < f.loseAck { outcome = .retry(reason: "injected: the answer was lost", after: nil) }
            }
            switch outcome {
            case .committed:
                state.apply(b)
                try state.save()
                status.acknowledged(b, wire: body.count, files: state.files)
                return
            case .retry(let reason, let after):
                status.failed(reason)
                if attempt == 0 || attempt % 10 == 0 { log?("ship: batch \(b.seq) not acknowledged (\(reason)); retrying") }
                let wait = backoff.delay(attempt: attempt, retryAfter: after)
                attempt += 1
                let until = Date().addingTimeInterval(wait)
                while Date() < until {
                    if shouldStop() { throw Stopped() }
                    usleep(UInt32(min(0.1, max(0.001, until.timeIntervalSinceNow)) * 1e6))
                }
                if shouldStop() { throw Stopped() }
            }
        }
    }

    public func tailCheckpoints() throws -> [TailCheckpoint] { state.checkpoints }

    /// `LOGSIFT_SHIP_FAULTS=lose-ack=0.1,exit-after-ack=0.02` (tests only): probabilities per acknowledged attempt.
    static let faults: (loseAck: Double, exitAfterAck: Double)? = {
        guard let spec = ProcessInfo.processInfo.environment["LOGSIFT_SHIP_FAULTS"] else { return nil }
        var f = (loseAck: 0.0, exitAfterAck: 0.0)
        for part in spec.split(separator: ",") {
            let kv = part.split(separator: "=")
            guard kv.count == 2, let v = Double(kv[1]) else { continue }
            if kv[0] == "lose-ack" { f.loseAck = v } else if kv[0] == "exit-after-ack" { f.exitAfterAck = v }
        }
        return f
    }()
}
