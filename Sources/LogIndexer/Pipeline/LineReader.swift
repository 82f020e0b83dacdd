import Foundation
import LogCore

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

    /// `startOffset` is where `fd` is positioned; `skipping` resumes in the middle of an over-long line.
    public init(fd: Int32, maxLine: Int, chunk: Int = 1 << 20, startOffset: Int64 = 0, skipping: Bool = false) {
        self.fd = fd
        self.maxLine = maxLine
        self.chunk = chunk
        self.offset = startOffset
        self.skipping = skipping
        // Allocated by the first read; grows only while a long line needs it, and shrinks back after.
        buffer = ByteBuffer(capacity: 4096)
    }

    /// Gives back the read buffer but for a line still waiting for its newline (the next read allocates it
    /// again). A tailer calls it after each turn of a file: 384 files tailed at once each kept a 320 KiB buffer
    /// (`tail --once` of the 4 GiB benchmark workload peaked at 218 MiB).
    public func releaseBuffer() {
        if start > 0 { buffer.removeFirst(start); start = 0 }
        buffer.shrink(to: max(buffer.count, 4096))
    }

    /// Inside an over-long line whose head was already delivered.
    public var isSkipping: Bool { skipping }

    /// Bytes read but not yet delivered (a line still waiting for its newline).
    public var buffered: Int { buffer.count - start }

    /// Delivers a line still waiting for its newline (follow modes, after a timeout), as if it had one.
    public func deliverPartial(_ line: (UnsafeBufferPointer<UInt8>, _ truncated: Bool, _ start: Int64, _ end: Int64) throws -> Void) throws {
        let rest = buffer.count - start
        guard rest > 0, !skipping else { return }
        try deliver(UnsafeBufferPointer(start: buffer.base + start, count: rest), truncated: false, newline: false, line)
        start = buffer.count
    }

    /// Calls `line` for each line (without "\n"; a trailing "\r" is kept) until end of input, with its
    /// input offsets (`end` past the newline). `truncated` tells that the line was cut at the limit (the
    /// marker is already appended). With `final`, a last line without a newline is delivered too; without
    /// it, that line waits in the buffer for the next call (follow modes). `maxBytes` bounds one call.
    public typealias LineHandler = (UnsafeBufferPointer<UInt8>, _ truncated: Bool, _ start: Int64, _ end: Int64) throws -> Void

    public func readAll(final: Bool = true, maxBytes: Int = Int.max, _ line: LineHandler) throws {
        var readBytes = 0
        while true {
            // Compact, then fill.
            if start > 0 { buffer.removeFirst(start); start = 0 }
            if buffer.capacity > 4 * (chunk + 64 * 1024), buffer.count < chunk { buffer.shrink(to: chunk + 64 * 1024) }
            buffer.reserve(chunk)
            let n = read(fd, buffer.base + buffer.count, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if n == 0 { eof = true } else { buffer.count += n; readBytes += n }
            try scan(line)
            if !eof, readBytes >= maxBytes { return }
            if eof {
                let rest = buffer.count - start
                if rest > 0, final, !skipping {
                    try deliver(UnsafeBufferPointer(start: buffer.base + start, count: rest), truncated: false, newline: false, line)
                    start = buffer.count
                } else if rest > 0, skipping {
                    offset += Int64(rest)
                    start = buffer.count
                }
                eof = false
                return
            }
        }
    }

    private func scan(_ line: LineHandler) throws {
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
                    try deliverTruncated(lineEnd: offset + Int64(len) + 1, line)
                    offset += Int64(len + 1)
                    start = end + 1
                    skipping = false
                    continue
                }
                try deliver(UnsafeBufferPointer(start: base + start, count: len), truncated: false, newline: true, line)
                start = end + 1
            } else {
                if remaining > maxLine {
                    // The end is not known yet; the line's head is stored now, the rest skipped later.
                    try deliverTruncated(lineEnd: offset + Int64(remaining), line)
                    offset += Int64(remaining)
                    start = buffer.count
                    skipping = true
                }
                return
            }
        }
    }

    private func deliver(_ p: UnsafeBufferPointer<UInt8>, truncated: Bool, newline: Bool, _ line: LineHandler) throws {
        let lineStart = offset
        offset += Int64(p.count) + (newline ? 1 : 0)
        try line(p, truncated, lineStart, offset)
    }

    /// Hands out the first `maxLine` bytes at `start` followed by the truncation marker.
    private func deliverTruncated(lineEnd: Int64, _ line: LineHandler) throws {
        let scratch = ByteBuffer(capacity: maxLine + 64)
        scratch.append(UnsafeBufferPointer(start: buffer.base + start, count: maxLine))
        scratch.append(LineCheck.truncationMarker)
        try line(scratch.bytes, true, offset, lineEnd)
    }
}
