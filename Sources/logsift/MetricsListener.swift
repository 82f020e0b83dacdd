import Foundation

/// A minimal HTTP listener for the agent's `/metrics` (`tail --ship --metrics-listen HOST:PORT`): every GET is
/// answered with the current Prometheus text, one connection at a time, on its own thread.
final class MetricsListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32

    init(address: String, render: @escaping @Sendable () -> String) throws {
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let p = UInt16(parts[1]) else { throw CocoaError(.formatting, userInfo: [NSLocalizedDescriptionKey: "--metrics-listen wants HOST:PORT, not '\(address)'"]) }
        let host = parts[0].isEmpty ? "0.0.0.0" : String(parts[0])
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        fd = sock
        var one: Int32 = 1
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = p.bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &addr.sin_addr) == 1 else {
            throw CocoaError(.formatting, userInfo: [NSLocalizedDescriptionKey: "--metrics-listen: '\(host)' is not an IPv4 address"])
        }
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(sock, 16) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "--metrics-listen \(address): \(String(cString: strerror(errno)))"])
        }
        var got = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &got) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &len) } }
        port = Int(UInt16(bigEndian: got.sin_port))
        let thread = Thread {
            while true {
                let c = accept(sock, nil, nil)
                if c < 0 { continue }
                var buf = [UInt8](repeating: 0, count: 4096)
                _ = read(c, &buf, buf.count)
                let body = Array(render().utf8)
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                let all = Array(head.utf8) + body
                var off = 0
                while off < all.count {
                    let n = all[off...].withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
                    if n <= 0 { break }
                    off += n
                }
                close(c)
            }
        }
        thread.start()
    }
}
