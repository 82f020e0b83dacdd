import CompressNIO
import Foundation
import Hummingbird
import LogIndexer
import NIOCore

/// Reading request bodies: capped before and after decompression (413), gzip and deflate accepted.
enum BodyReader {
    static func collect(_ request: Request, maxBytes: Int) async throws -> ByteBuffer {
        var request = request
        var buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw APIFailure(.contentTooLarge, "request body over \(maxBytes) bytes; send smaller batches")
        }
        let encoding = request.headers[.contentEncoding]?.lowercased().trimmingCharacters(in: .whitespaces) ?? "identity"
        let algorithm: CompressionAlgorithm
        switch encoding {
        case "identity", "": return buffer
        case "gzip", "x-gzip": algorithm = .gzip()
        case "deflate": algorithm = .zlib()
        case "zstd":
            do {
                return ByteBuffer(bytes: try ZstdStream.decompress(Array(buffer.readableBytesView), maxBytes: maxBytes))
            } catch .tooLarge {
                throw APIFailure(.contentTooLarge, "decompressed request body over \(maxBytes) bytes; send smaller batches")
            } catch .corrupt(let reason) {
                throw APIFailure(.badRequest, "the zstd body does not decompress: \(reason)")
            }
        default: throw APIFailure(.unsupportedMediaType, "Content-Encoding '\(encoding)' is not supported; use gzip, deflate, zstd or none")
        }
        do {
            return try buffer.decompress(with: algorithm, maxSize: maxBytes + 1)
        } catch let e as CompressNIOError where e == .bufferOverflow {
            throw APIFailure(.contentTooLarge, "decompressed request body over \(maxBytes) bytes; send smaller batches")
        } catch {
            throw APIFailure(.badRequest, "the \(encoding) body does not decompress: \(error)")
        }
    }

    /// The body's lines without their `\n` or `\r\n`; empty lines are skipped.
    static func lines(_ buffer: ByteBuffer) -> [[UInt8]] {
        buffer.withUnsafeReadableBytes { raw in
            let p = raw.bindMemory(to: UInt8.self)
            var out: [[UInt8]] = []
            var start = 0
            for i in 0...p.count where i == p.count || p[i] == 0x0A {
                var end = i
                if end > start, p[end - 1] == 0x0D { end -= 1 }
                if end > start { out.append(Array(p[start..<end])) }
                start = i + 1
            }
            return out
        }
    }
}
