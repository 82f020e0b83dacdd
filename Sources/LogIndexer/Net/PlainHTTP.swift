import Foundation

/// One HTTP/1.1 POST over a TCP socket (plain, or TLS through ``TLSClient``) with blocking I/O and socket timeouts.
/// The agent uses it for its http:// and https:// URLs and the ClickHouse store for every statement: Foundation's URLSession on Linux polls its sockets
/// in a loop while it waits for an answer (measured: ~1.7 s of CPU per second of waiting; a ClickHouse ingest of
/// 68 MB spent 1.6 s in the kernel for it).
enum PlainHTTP {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `stop` is asked every 200 ms while the answer is awaited (the agent was told to stop: give up on it).
    /// `maxAnswer`: the most answer bytes read (an agent's answers are small; a query's can be large).
    static func post(host: String, port: Int, path: String, headers: [(String, String)], body: [UInt8], timeout: Double,
                     maxAnswer: Int = 1 << 20, tls: Bool = false, trust: String? = nil, stop: (() -> Bool)? = nil) throws -> Answer {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { throw Failure(description: "cannot resolve \(host)") }
        defer { freeaddrinfo(list) }
        var fd: Int32 = -1
        var lastError = "no address"
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        var ai: UnsafeMutablePointer<addrinfo>? = first
        while let a = ai {
            fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if fd >= 0 {
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { break }
                lastError = String(cString: strerror(errno))
                close(fd)
                fd = -1
            }
            ai = a.pointee.ai_next
        }
        guard fd >= 0 else { throw Failure(description: "cannot connect to \(host):\(port): \(lastError)") }
        defer { close(fd) }
        // Declared after the socket's `defer`: it shuts TLS down before the socket closes.
        let secure = tls ? try TLSClient(fd: fd, host: host, trust: trust) : nil
        var head = "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        if let secure {
            try secure.send(Array(head.utf8) + body)
        } else {
            try send(fd, Array(head.utf8))
            try send(fd, body)
        }
        let deadline = Date().addingTimeInterval(timeout)
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var length: Int?
        while true {
            if let h = headerEnd, let l = length, data.count >= h + l { break }
            if Date() > deadline { throw Failure(description: "timed out after \(timeout) s") }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if secure?.pending != true, poll(&p, 1, 200) == 0 {
                if stop?() == true { throw Failure(description: "stopped while waiting for the answer") }
                continue
            }
            let n = try secure.map { s in try buf.withUnsafeMutableBytes { try s.read($0.baseAddress!, $0.count) } } ?? read(fd, &buf, buf.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: errno == EAGAIN || errno == EWOULDBLOCK ? "timed out after \(timeout) s" : String(cString: strerror(errno)))
            }
            if n == 0 { break }
            let before = data.count
            data += buf[0..<n]
            guard data.count <= maxAnswer else { throw Failure(description: "answer over \(maxAnswer >> 20) MiB") }
            if headerEnd == nil, let r = find(data, [13, 10, 13, 10], from: max(0, before - 3)) {
                headerEnd = r + 4
                for line in String(decoding: data[0..<r], as: UTF8.self).split(separator: "\r\n").dropFirst() {
                    if line.lowercased().hasPrefix("content-length:") { length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) }
                }
            }
        }
        guard let h = headerEnd else { throw Failure(description: "no HTTP answer (\(data.count) bytes without a header)") }
        let lines = String(decoding: data[0..<(h - 4)], as: UTF8.self).split(separator: "\r\n")
        let statusLine = lines.first.map(String.init) ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else { throw Failure(description: "not an HTTP answer: \(statusLine.prefix(80))") }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let c = line.firstIndex(of: ":") else { continue }
            fields[line[..<c].lowercased()] = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)
        }
        var bodyBytes = Array(data[h...])
        if let l = length, bodyBytes.count < l { throw Failure(description: "connection closed after \(bodyBytes.count) of \(l) answer bytes") }
        if length == nil, fields["transfer-encoding"]?.lowercased().contains("chunked") == true { bodyBytes = try dechunk(bodyBytes) }
        return Answer(status: status, headers: fields, body: length.map { Array(bodyBytes.prefix($0)) } ?? bodyBytes)
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure(description: "send failed: \(String(cString: strerror(errno)))") }
            off += n
        }
    }

    /// A chunked body read to its end (the connection was closed after the last chunk).
    static func dechunk(_ raw: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while true {
            guard let eol = find(raw, [13, 10], from: i) else { throw Failure(description: "a chunked answer was cut short") }
            let sizeText = String(decoding: raw[i..<eol], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw Failure(description: "a chunked answer has a bad chunk size")
            }
            if size == 0 { return out }
            let start = eol + 2
            guard start + size <= raw.count else { throw Failure(description: "a chunked answer was cut short") }
            out += raw[start..<(start + size)]
            i = start + size + 2
        }
    }

    private static func find(_ hay: [UInt8], _ needle: [UInt8], from: Int = 0) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == needle[0], hay[i + 1] == needle[1], needle.count < 3 || (hay[i + 2] == needle[2] && hay[i + 3] == needle[3]) { return i }
            i += 1
        }
        return nil
    }
}
