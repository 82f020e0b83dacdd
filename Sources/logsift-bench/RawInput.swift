import Foundation

/// The raw files that logsift ingests and the baselines read: every `.log` under
/// `raw/var/log/containers` (the kubelet symlinks) and under `raw/ci`, in sorted order.
struct RawInput {
    let files: [String]
    let sizes: [Int]
    var totalBytes: Int { sizes.reduce(0, +) }

    init(rawDirectory raw: String) throws {
        var found: [String] = []
        for root in ["\(raw)/var/log/containers", "\(raw)/ci"] {
            guard let enumerator = FileManager.default.enumerator(atPath: root) else {
                throw BenchError("no workload at \(root): run without --skip-generate to create it")
            }
            for case let relative as String in enumerator where relative.hasSuffix(".log") {
                found.append("\(root)/\(relative)")
            }
        }
        if found.isEmpty { throw BenchError("no .log files under \(raw): delete it and generate again") }
        try self.init(files: found.sorted())
    }

    /// `files` in this order, with their sizes now.
    init(files: [String]) throws {
        self.files = files
        sizes = try files.map { path in
            var info = stat()
            guard stat(path, &info) == 0 else { throw BenchError("cannot stat \(path): \(String(cString: strerror(errno)))") }
            return Int(info.st_size)
        }
    }

    init(files: [String], sizes: [Int]) {
        self.files = files
        self.sizes = sizes
    }

    /// The files whose index passes `keep`.
    func subset(_ keep: (Int) -> Bool) -> RawInput {
        let picked = files.indices.filter(keep)
        return RawInput(files: picked.map { files[$0] }, sizes: picked.map { sizes[$0] })
    }

    /// One file in k (the first, the k+1st, …; they keep the mix of services) for the smallest k whose files hold
    /// at most `capBytes`: all files when they fit, the first file alone when nothing smaller exists. With a
    /// description of the choice for the report.
    func sample(capBytes: Int) -> (input: RawInput, description: String) {
        var k = 1
        var picked = self
        while picked.totalBytes > capBytes, k < files.count {
            k += 1
            picked = subset { $0 % k == 0 }
        }
        let mib = String(format: "%.1f MiB", Double(picked.totalBytes) / 1_048_576)
        return (picked, k == 1 ? "all \(files.count) files, \(mib)" : "1 file in \(k), \(picked.files.count) of \(files.count) files, \(mib)")
    }

    /// Calls `body` with the content of every file in order, in chunks of up to 4 MiB.
    func forEachChunk(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4 * 1024 * 1024)
        defer { buffer.deallocate() }
        for path in files {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw BenchError("cannot open \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            while true {
                let n = read(fd, buffer.baseAddress, buffer.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw BenchError("cannot read \(path): \(String(cString: strerror(errno)))")
                }
                if n == 0 { break }
                try body(UnsafeBufferPointer(rebasing: buffer[0..<n]))
            }
        }
    }

    /// Calls `body` with every line (without its `\n`) of the first `fraction` of each file, so that
    /// a sample keeps the mix of services; returns the bytes covered (lines plus newlines).
    @discardableResult
    func forEachLine(fraction: Double, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Int {
        var covered = 0
        let carry = ByteSink(capacity: 8 * 1024 * 1024)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4 * 1024 * 1024)
        defer { buffer.deallocate() }
        for (path, size) in zip(files, sizes) {
            let limit = fraction >= 1 ? Int.max : Int(Double(size) * fraction)
            var consumed = 0
            carry.removeAll()
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw BenchError("cannot open \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            fileLoop: while consumed < limit {
                let n = read(fd, buffer.baseAddress, buffer.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw BenchError("cannot read \(path): \(String(cString: strerror(errno)))")
                }
                if n == 0 { break }
                carry.append(UnsafeBufferPointer(rebasing: buffer[0..<n]))
                var start = 0
                let bytes = carry.bytes
                var i = 0
                while i < bytes.count {
                    if bytes[i] == UInt8(ascii: "\n") {
                        try body(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                        consumed += i + 1 - start
                        start = i + 1
                        if consumed >= limit { break fileLoop }
                    }
                    i += 1
                }
                carry.removeFirst(start)
            }
            if consumed < limit, !carry.isEmpty {
                try body(carry.bytes)
                consumed += carry.count
            }
            covered += consumed
        }
        return covered
    }
}
