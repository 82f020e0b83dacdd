import CZstd

/// zstd frames from outside the store (HTTP request bodies): decompressed as a stream, whatever the frame
/// header says, and stopped at a size cap, so that a small body cannot expand without bound.
public enum ZstdStream {
    /// Why a body did not decompress.
    public enum Failure: Error, Equatable {
        /// The output passed `maxBytes`.
        case tooLarge
        /// Not zstd, or cut short; zstd's reason.
        case corrupt(String)
    }

    /// The decompressed bytes of one or more concatenated frames, at most `maxBytes`.
    public static func decompress(_ input: [UInt8], maxBytes: Int) throws(Failure) -> [UInt8] {
        guard let dctx = ZSTD_createDCtx() else { preconditionFailure("BUG: ZSTD_createDCtx failed") }
        defer { ZSTD_freeDCtx(dctx) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var last = 0
        let failure: Failure? = input.withUnsafeBytes { src -> Failure? in
            var inBuf = ZSTD_inBuffer(src: src.baseAddress, size: src.count, pos: 0)
            while true {
                let before = inBuf.pos
                let (ret, produced) = chunk.withUnsafeMutableBytes { dst -> (Int, Int) in
                    var outBuf = ZSTD_outBuffer(dst: dst.baseAddress, size: dst.count, pos: 0)
                    let r = ZSTD_decompressStream(dctx, &outBuf, &inBuf)
                    return (r, outBuf.pos)
                }
                if ZSTD_isError(ret) != 0 { return .corrupt(String(cString: ZSTD_getErrorName(ret))) }
                if out.count + produced > maxBytes { return .tooLarge }
                out.append(contentsOf: chunk[0..<produced])
                last = ret
                // Done when all input is read and nothing is left buffered inside zstd.
                if inBuf.pos == inBuf.size && produced < chunk.count { break }
                if produced == 0 && inBuf.pos == before { return .corrupt("no progress") }
            }
            return nil
        }
        if let failure { throw failure }
        guard last == 0 else { throw .corrupt("truncated frame") }
        return out
    }

    /// `input` as one zstd frame (for clients and tests).
    public static func compress(_ input: [UInt8], level: Int32 = 3) -> [UInt8] {
        input.withUnsafeBytes { ZstdCodec(level: level).compress($0) }
    }
}
