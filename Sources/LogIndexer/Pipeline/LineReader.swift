import Foundation
public import LogCore

/// Reads a file descriptor in large chunks and hands out whole lines, cutting any line longer than the
/// limit (the rest of it is skipped up to its newline and only counted). Memory stays bounded by the
/// chunk size plus the line limit, whatever the input.
public final class LineReader {
    public let fd: Int32
    let maxLine: Int
    let chunk: Int
    private let buffer: ByteBuffer
    private var start = 0
    /// Skipping the rest of an over-long line until its newline.
    private var skipping = false
    private var eof = false
    /// Bytes consumed from the descriptor so far (the offset just past the last line handed out).
    public private(set) var offset: Int64 = 0

    public init(fd: Int32, maxLine: Int, chunk: Int = 1 << 20) {
        self.fd = fd
        self.maxLine = maxLine
        self.chunk = chunk
        buffer = ByteBuffer(capacity: chunk + maxLine + 64)
    }

    /// Calls `line` for each line (without "\n"; a trailing "\r" is kept) until end of input.
    /// `truncated` tells that the line was cut at the limit (the marker is already appended).
    /// With `final`, a last line without a newline is delivered too.
    public func readAll(final: Bool = true, _ line: (UnsafeBufferPointer<UInt8>, _ truncated: Bool) throws -> Void) throws {
        while true {
            // Compact, then fill.
            if start > 0 { buffer.removeFirst(start); start = 0 }
            buffer.reserve(chunk)
            let n = read(fd, buffer.base + buffer.count, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if n == 0 { eof = true } else { buffer.count += n }
            try scan(line)
            if eof {
                let rest = buffer.count - start
                if rest > 0, final, !skipping {
                    try deliver(UnsafeBufferPointer(start: buffer.base + start, count: rest), truncated: false, line)
                } else if rest > 0, skipping {
                    offset += Int64(rest)
                }
                start = buffer.count
                return
            }
        }
    }

    private func scan(_ line: (UnsafeBufferPointer<UInt8>, Bool) throws -> Void) throws {
        let base = buffer.base
        while start < buffer.count {
            let remaining = buffer.count - start
            let nl = memchr(base + start, 0x0A, remaining)
            if skipping {
                guard let nl else { offset += Int64(remaining); start = buffer.count; return }
                let end = UnsafeMutablePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - base
                offset += Int64(end + 1 - start)
                start = end + 1
                skipping = false
                continue
            }
            if let nl {
                let end = UnsafeMutablePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - base
                let len = end - start
                if len > maxLine {
                    try deliverTruncated(line)
                    offset += Int64(len - maxLine + 1)
                    start = end + 1
                    skipping = false
                    continue
                }
                try deliver(UnsafeBufferPointer(start: base + start, count: len), truncated: false, line)
                offset += 1
                start = end + 1
            } else {
                if remaining > maxLine {
                    try deliverTruncated(line)
                    offset += Int64(remaining - maxLine)
                    start = buffer.count
                    skipping = true
                }
                return
            }
        }
    }

    private func deliver(_ p: UnsafeBufferPointer<UInt8>, truncated: Bool, _ line: (UnsafeBufferPointer<UInt8>, Bool) throws -> Void) throws {
        offset += Int64(p.count)
        try line(p, truncated)
    }

    /// Hands out the first `maxLine` bytes at `start` followed by the truncation marker.
    private func deliverTruncated(_ line: (UnsafeBufferPointer<UInt8>, Bool) throws -> Void) throws {
        let scratch = ByteBuffer(capacity: maxLine + 64)
        scratch.append(UnsafeBufferPointer(start: buffer.base + start, count: maxLine))
        scratch.append(LineCheck.truncationMarker)
        offset += Int64(maxLine)
        try line(scratch.bytes, true)
    }
}
