import Foundation

/// Reads the protobuf wire format (varints, fixed 32/64-bit, length-delimited fields) from bytes shippers
/// sent. Only what the Loki and OTLP messages use; every length is checked against what is left, nesting is
/// bounded, and anything malformed is an error, never a trap.
struct ProtobufReader {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(ArraySlice<UInt8>)
    }

    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    /// Calls `body` with each field's number and value, in order.
    static func forEachField(in bytes: ArraySlice<UInt8>, _ body: (Int, Value) throws -> Void) throws {
        var r = ProtobufReader(bytes)
        while let (field, value) = try r.next() { try body(field, value) }
    }

    mutating func next() throws -> (Int, Value)? {
        guard !bytes.isEmpty else { return nil }
        let key = try varint()
        let field = Int(key >> 3)
        guard field > 0, field < 1 << 29 else { throw Malformed(description: "field number \(field) is out of range") }
        switch key & 7 {
        case 0: return (field, .varint(try varint()))
        case 1: return (field, .fixed64(UInt64(littleEndian: try fixed(8))))
        case 5: return (field, .fixed32(UInt32(truncatingIfNeeded: UInt64(littleEndian: try fixed(4)))))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.count) else { throw Malformed(description: "a field of \(length) bytes runs past the end of its message") }
            let value = bytes.prefix(Int(length))
            bytes = bytes.dropFirst(Int(length))
            return (field, .bytes(value))
        default: throw Malformed(description: "wire type \(key & 7) is not supported (groups are deprecated)")
        }
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while let b = bytes.first {
            bytes = bytes.dropFirst()
            value |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
            guard shift < 64 else { throw Malformed(description: "a varint is longer than 10 bytes") }
        }
        throw Malformed(description: "the message ends inside a varint")
    }

    private mutating func fixed(_ n: Int) throws -> UInt64 {
        guard bytes.count >= n else { throw Malformed(description: "the message ends inside a fixed-width field") }
        var value: UInt64 = 0
        for (i, b) in bytes.prefix(n).enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        bytes = bytes.dropFirst(n)
        return value
    }
}

extension ProtobufReader.Value {
    var string: String? {
        if case .bytes(let b) = self { return String(decoding: b, as: UTF8.self) }
        return nil
    }

    var message: ArraySlice<UInt8>? {
        if case .bytes(let b) = self { return b }
        return nil
    }

    var integer: UInt64? {
        switch self {
        case .varint(let v), .fixed64(let v): return v
        case .fixed32(let v): return UInt64(v)
        case .bytes: return nil
        }
    }
}

/// Snappy's block format (what Loki's protobuf push bodies are compressed with). The declared length is
/// checked against `maxBytes` before anything is allocated, and every copy against what was written.
enum Snappy {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        var tooLarge = false
    }

    static func decompress(_ input: [UInt8], maxBytes: Int) throws(Failure) -> [UInt8] {
        var i = 0
        var length: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard i < input.count, shift < 35 else { throw Failure(description: "the snappy length preamble is malformed") }
            let b = input[i]
            i += 1
            length |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        guard length <= UInt64(maxBytes) else { throw Failure(description: "declares \(length) bytes, over \(maxBytes)", tooLarge: true) }
        var out: [UInt8] = []
        out.reserveCapacity(Int(length))
        func need(_ n: Int) throws(Failure) {
            guard i + n <= input.count else { throw Failure(description: "the snappy stream ends inside an element") }
        }
        while i < input.count {
            let tag = input[i]
            i += 1
            var len = 0, offset = 0
            switch tag & 3 {
            case 0:
                len = Int(tag >> 2) + 1
                if len > 60 {
                    let extra = len - 60
                    try need(extra)
                    len = 0
                    for k in 0..<extra { len |= Int(input[i + k]) << (8 * k) }
                    len += 1
                    i += extra
                }
                try need(len)
                guard out.count + len <= Int(length) else { throw Failure(description: "the snappy data is longer than it declares") }
                out.append(contentsOf: input[i..<(i + len)])
                i += len
                continue
            case 1:
                try need(1)
                len = Int((tag >> 2) & 7) + 4
                offset = Int(tag >> 5) << 8 | Int(input[i])
                i += 1
            case 2:
                try need(2)
                len = Int(tag >> 2) + 1
                offset = Int(input[i]) | Int(input[i + 1]) << 8
                i += 2
            default:
                try need(4)
                len = Int(tag >> 2) + 1
                offset = Int(input[i]) | Int(input[i + 1]) << 8 | Int(input[i + 2]) << 16 | Int(input[i + 3]) << 24
                i += 4
            }
            guard offset > 0, offset <= out.count else { throw Failure(description: "a snappy copy points before the start") }
            guard out.count + len <= Int(length) else { throw Failure(description: "the snappy data is longer than it declares") }
            let start = out.count - offset
            for k in 0..<len { out.append(out[start + k]) }
        }
        guard out.count == Int(length) else { throw Failure(description: "the snappy data is shorter than it declares") }
        return out
    }
}
