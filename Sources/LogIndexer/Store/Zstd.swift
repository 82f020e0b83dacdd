import CZstd

/// zstd compression of block payloads. A context is reused per stage (not thread-safe).
package final class ZstdCodec {
    private let cctx: OpaquePointer
    private let dctx: OpaquePointer
    let level: Int32

    package init(level: Int32 = 3) {
        cctx = ZSTD_createCCtx()
        dctx = ZSTD_createDCtx()
        self.level = level
        // A checksum of the content in every frame: a flipped byte is an error when read, not altered text.
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)
    }

    deinit {
        ZSTD_freeCCtx(cctx)
        ZSTD_freeDCtx(dctx)
    }

    package func compress(_ src: UnsafeRawBufferPointer) -> [UInt8] {
        let bound = ZSTD_compressBound(src.count)
        var n = 0
        let out = [UInt8](unsafeUninitializedCapacity: bound) { dst, count in
            n = ZSTD_compress2(cctx, dst.baseAddress, bound, src.baseAddress, src.count)
            count = ZSTD_isError(n) == 0 ? n : 0
        }
        precondition(ZSTD_isError(n) == 0, "BUG: zstd compression failed: \(String(cString: ZSTD_getErrorName(n)))")
        return out
    }

    /// The content size a frame records; nil when it records none or is no frame.
    package static func contentSize(_ src: UnsafeRawBufferPointer) -> Int? {
        let size = ZSTD_getFrameContentSize(src.baseAddress, src.count)
        return size < UInt64.max - 1 ? Int(size) : nil
    }

    /// Decompresses a frame whose content size is recorded (all of ours are), refusing sizes over `limit`.
    package func decompress(_ src: UnsafeRawBufferPointer, limit: Int = 1 << 30) throws -> [UInt8] {
        let size = ZSTD_getFrameContentSize(src.baseAddress, src.count)
        // ZSTD_CONTENTSIZE_ERROR is UInt64.max - 1, ZSTD_CONTENTSIZE_UNKNOWN is UInt64.max.
        guard size < UInt64.max - 1, size <= UInt64(limit) else {
            throw StoreError(code: 11, message: "corrupt block: bad zstd frame header", sql: nil)
        }
        // Uninitialised: zstd writes every byte (checked below), so no zero fill first.
        var n = 0
        let out = [UInt8](unsafeUninitializedCapacity: Int(size)) { dst, count in
            n = ZSTD_decompressDCtx(dctx, dst.baseAddress, dst.count, src.baseAddress, src.count)
            count = ZSTD_isError(n) == 0 && n == Int(size) ? n : 0
        }
        guard ZSTD_isError(n) == 0, n == Int(size) else {
            throw StoreError(code: 11, message: "corrupt block: zstd says \(String(cString: ZSTD_getErrorName(n)))", sql: nil)
        }
        return out
    }
}
