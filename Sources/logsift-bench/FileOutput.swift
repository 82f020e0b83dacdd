import Foundation

/// A file written through a large buffer with plain `write(2)` calls.
final class FileOutput {
    let path: String
    let buffer = ByteSink(capacity: 2 * 1024 * 1024)
    private(set) var bytesWritten = 0
    private let fd: Int32
    private let flushThreshold = 1024 * 1024

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchError("cannot create \(path): \(String(cString: strerror(errno)))") }
    }

    deinit {
        close(fd)
    }

    /// Bytes written so far, buffered or not.
    var size: Int { bytesWritten + buffer.count }

    @inline(__always)
    func flushIfNeeded() throws {
        if buffer.count >= flushThreshold { try flush() }
    }

    func flush() throws {
        try writeAll(fd: fd, buffer.bytes, path: path)
        bytesWritten += buffer.count
        buffer.removeAll()
    }
}

/// Writes every byte, retrying short writes and EINTR.
func writeAll(fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>, path: String) throws {
    guard var pointer = bytes.baseAddress else { return }
    var left = bytes.count
    while left > 0 {
        let n = write(fd, pointer, left)
        if n < 0 {
            if errno == EINTR { continue }
            throw BenchError("write to \(path) failed: \(String(cString: strerror(errno)))")
        }
        pointer += n
        left -= n
    }
}

/// An error a user of the benchmark can meet, with what went wrong and what to do.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
