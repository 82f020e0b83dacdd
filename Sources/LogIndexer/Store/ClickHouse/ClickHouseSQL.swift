/// Building ClickHouse SQL text safely: every value logsift puts into a statement goes through ``quote(_:)``.
enum ClickHouseSQL {
    /// A string literal holding exactly `bytes`: printable ASCII as is (but `\` and `'`), everything else as
    /// `\xHH`, so the statement is plain ASCII whatever the value holds (quotes, NUL, invalid UTF-8, newlines).
    static func quote<S: Sequence>(bytes: S) -> String where S.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(16)
        out.append(0x27)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for b in bytes {
            switch b {
            case 0x27, 0x5C: out.append(0x5C); out.append(b)
            case 0x20...0x7E: out.append(b)
            default:
                out.append(0x5C); out.append(0x78)
                out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0x0F)])
            }
        }
        out.append(0x27)
        return String(decoding: out, as: UTF8.self)
    }

    static func quote(_ s: String) -> String { quote(bytes: s.utf8) }
}

/// ClickHouse's RowBinary format: little-endian integers, strings as a LEB128 length and their bytes.
struct RowBinaryWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func f64(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }

    mutating func string<C: Collection>(_ s: C) where C.Element == UInt8 {
        var n = UInt64(s.count)
        repeat {
            var b = UInt8(n & 0x7F)
            n >>= 7
            if n != 0 { b |= 0x80 }
            bytes.append(b)
        } while n != 0
        bytes.append(contentsOf: s)
    }

    mutating func string(_ s: String) { string(Array(s.utf8)) }
}

/// Reads RowBinary answers.
struct RowBinaryReader {
    let bytes: [UInt8]
    var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { at >= bytes.count }

    mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let n = MemoryLayout<T>.size
        guard at + n <= bytes.count else { throw ClickHouseError(code: 0, message: "short RowBinary answer") }
        var v: T = 0
        for k in 0..<n { v |= T(bytes[at + k]) << (8 * k) }
        at += n
        return v
    }

    mutating func string() throws -> ArraySlice<UInt8> {
        var n: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard at < bytes.count, shift < 64 else { throw ClickHouseError(code: 0, message: "bad RowBinary length") }
            let b = bytes[at]
            at += 1
            n |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        guard n <= UInt64(bytes.count - at) else { throw ClickHouseError(code: 0, message: "short RowBinary string") }
        defer { at += Int(n) }
        return bytes[at..<(at + Int(n))]
    }

    mutating func text() throws -> String { String(decoding: try string(), as: UTF8.self) }
}
