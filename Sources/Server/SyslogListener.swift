import Foundation
import LogCore
import LogIndexer
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle

/// Syslog over TCP (octet counting or newline framing) and UDP (a message per datagram) on one port,
/// RFC 5424 and 3164 alike (the `syslog` decoder reads both). TCP is read only as fast as the store
/// commits (a busy store is retried, not dropped); UDP datagrams that find the store busy are dropped
/// and counted.
public final class SyslogListener: Service, Sendable {
    let address: ListenAddress
    let ingest: StoreIngest
    let metrics: ServerMetrics
    let logger: Logger
    let onBound: @Sendable (Int) -> Void

    public init(address: ListenAddress, ingest: StoreIngest, metrics: ServerMetrics, logger: Logger, onBound: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.address = address
        self.ingest = ingest
        self.metrics = metrics
        self.logger = logger
        self.onBound = onBound
    }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let tcp = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: address.host, port: address.port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<NIOCore.ByteBuffer, Never>(wrappingChannelSynchronously: channel) }
            }
        let port = tcp.channel.localAddress?.port ?? address.port
        let udp = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: address.host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<NIOCore.ByteBuffer>, AddressedEnvelope<NIOCore.ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        logger.info("syslog listening on \(address.host):\(port) (TCP and UDP)")
        onBound(port)
        try? await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    try await tcp.executeThenClose { connections in
                        try await withThrowingDiscardingTaskGroup { conns in
                            for try await connection in connections {
                                conns.addTask { try? await self.serve(connection) }
                            }
                        }
                    }
                }
                tasks.addTask {
                    try await udp.executeThenClose { inbound, _ in
                        for try await datagram in inbound {
                            var lines: [[UInt8]] = []
                            var framer = SyslogFramer()
                            lines = framer.append(datagram.data.readableBytesView)
                            if let last = framer.finish() { lines.append(last) }
                            if lines.isEmpty { continue }
                            if (try? await self.ingest.ingest([self.part(lines)])) == nil { self.metrics.droppedDatagram() }
                        }
                    }
                }
                try await tasks.next()
                tasks.cancelAll()
            }
        }
        try? await tcp.channel.close()
        try? await udp.channel.close()
    }

    private func part(_ lines: [[UInt8]]) -> IngestLines {
        IngestLines(labels: StreamLabels(source: "syslog"), lines: lines, format: .syslog)
    }

    /// Reads one TCP connection, committing what each read completes before reading on.
    private func serve(_ connection: NIOAsyncChannel<NIOCore.ByteBuffer, Never>) async throws {
        try await connection.executeThenClose { inbound, _ in
            var framer = SyslogFramer()
            for try await chunk in inbound {
                let lines = framer.append(chunk.readableBytesView)
                if !lines.isEmpty { try await commit(lines) }
            }
            if let last = framer.finish() { try await commit([last]) }
        }
    }

    private func commit(_ lines: [[UInt8]]) async throws {
        while true {
            do {
                _ = try await ingest.ingest([part(lines)])
                return
            } catch .busy {
                try await Task.sleep(for: .milliseconds(200))
            } catch .unavailable {
                // A remote store is down: the connection waits (TCP pushes back on the sender) and tries again.
                try await Task.sleep(for: .seconds(1))
            } catch {
                throw error
            }
        }
    }
}
