import Foundation
import Testing
@testable import LogIndexer

/// The agent's https:// client (``PlainHTTP`` over ``TLSClient``, OpenSSL loaded at run time) against a real TLS
/// server, `openssl s_server`: the batch arrives byte for byte with its headers when the certificate is trusted and
/// names the host; an untrusted certificate or one for another name is never sent to (the batch is retried).
/// SKIPPED without the `openssl` command or libssl.so.3.
@Suite(.serialized) struct ShipTLSTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        /// The names the server's certificate is for.
        var certNames: String
        /// The host the client connects to.
        var host: String
        var trusted: Bool
        var committed: Bool
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "trusted, by name", certNames: "DNS:localhost,IP:127.0.0.1", host: "localhost", trusted: true, committed: true),
        Case(name: "trusted, by address", certNames: "DNS:localhost,IP:127.0.0.1", host: "127.0.0.1", trusted: true, committed: true),
        Case(name: "not trusted", certNames: "DNS:localhost,IP:127.0.0.1", host: "localhost", trusted: false, committed: false),
        Case(name: "another host's certificate", certNames: "DNS:elsewhere.example", host: "localhost", trusted: true, committed: false),
        Case(name: "another address's certificate", certNames: "IP:127.0.0.2", host: "127.0.0.1", trusted: true, committed: false),
    ]

    static let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(arguments: cases) func shipsOverTLSOnlyToTheNamedTrustedHost(_ c: Case) throws {
        guard let openssl = Self.openssl, (try? OpenSSL.shared.get()) != nil else {
            print("SKIPPED: no openssl command or libssl.so.3")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ship-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gen = try run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                                    "-subj", "/CN=logsift test", "-addext", "subjectAltName=\(c.certNames)",
                                    "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem"])
        #expect(gen == 0)

        let port = Self.freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: openssl)
        server.arguments = ["s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-cert", dir + "/cert.pem", "-key", dir + "/key.pem"]
        let toServer = Pipe(), fromServer = Pipe()
        server.standardInput = toServer
        server.standardOutput = fromServer
        server.standardError = FileHandle.nullDevice
        try server.run()
        // SIGKILL: the test runner may have started us with SIGTERM blocked, and a child inherits that.
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) }; server.waitUntilExit() }
        // Until it listens (a probe that closes at once is a failed handshake to it, and it goes on accepting).
        for _ in 0..<100 where !Self.accepts(port) { usleep(20_000) }

        // The TLS server's side: read the request (s_server prints what it receives), answer as `logsift serve` does.
        let received = ReceivedRequest()
        let answering = Thread {
            var data: [UInt8] = []
            while ReceivedRequest.parse(data) == nil {
                let chunk = fromServer.fileHandleForReading.availableData
                if chunk.isEmpty { return }
                data += chunk
            }
            guard let request = ReceivedRequest.parse(data) else { return }
            received.set(request)
            let body = "{\"batch\":\"\(request.id)\",\"duplicate\":false}"
            let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
            toServer.fileHandleForWriting.write(Data(answer.utf8))
        }
        answering.start()

        let batch = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let client = try ShipClient(base: "https://\(c.host):\(port)", token: "t0ken", timeout: 5, trust: c.trusted ? dir + "/cert.pem" : nil)
        let outcome = client.send(batch, id: "agent-1-42")
        if c.committed {
            #expect(outcome == .committed, "\(c)")
            let r = try #require(received.get())
            #expect(r.body == batch)
            #expect(r.id == "agent-1-42")
            #expect(r.head.lowercased().contains("authorization: bearer t0ken"))
            #expect(r.head.hasPrefix("POST /api/v1/ship HTTP/1.1\r\n"))
        } else {
            guard case .retry(let reason, _) = outcome else { Issue.record("\(c): \(outcome)"); return }
            #expect(reason.contains("TLS"), "\(c): \(reason)")
            #expect(received.get() == nil, "\(c): the request must not reach an unverified server")
        }
    }

    @Test func aPlainHTTPServerIsNoTLSServer() throws {
        guard (try? OpenSSL.shared.get()) != nil else { print("SKIPPED: no libssl.so.3"); return }
        // A listener that never speaks TLS: the handshake times out or fails, and the batch is retried.
        let (fd, port) = loopbackSocket(listening: 4)
        defer { close(fd) }
        let client = try ShipClient(base: "https://127.0.0.1:\(port)", token: nil, timeout: 0.5)
        let started = Date()
        guard case .retry(let reason, _) = client.send([1, 2, 3], id: "b") else { Issue.record("committed without a server"); return }
        #expect(reason.contains("TLS"), "\(reason)")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    struct Request: Sendable {
        var head: String
        var id: String
        var body: [UInt8]
    }

    final class ReceivedRequest: @unchecked Sendable {
        private let lock = NSLock()
        private var request: Request?
        func set(_ r: Request) { lock.withLock { request = r } }
        func get() -> Request? { lock.withLock { request } }

        /// The whole request in `data`, or nil while incomplete.
        static func parse(_ data: [UInt8]) -> Request? {
            let sep = Array("\r\n\r\n".utf8)
            guard data.count >= 4, let end = (0...(data.count - 4)).first(where: { Array(data[$0..<($0 + 4)]) == sep }) else { return nil }
            let head = String(decoding: data[0..<end], as: UTF8.self)
            var length = 0, id = ""
            for line in head.split(separator: "\r\n") {
                let l = line.lowercased()
                if l.hasPrefix("content-length:") { length = Int(l.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0 }
                if l.hasPrefix("x-logsift-batch:") { id = String(line.dropFirst(16)).trimmingCharacters(in: .whitespaces) }
            }
            guard data.count >= end + 4 + length else { return nil }
            return Request(head: head, id: id, body: Array(data[(end + 4)..<(end + 4 + length)]))
        }
    }

    private func run(_ tool: String, _ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    static func freePort() -> Int {
        let (fd, port) = loopbackSocket()
        close(fd)
        return port
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }
}
