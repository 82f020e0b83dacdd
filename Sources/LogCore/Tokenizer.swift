/// Splits text into the terms the full-text index holds.
///
/// A term is a run of ASCII letters and digits or of non-ASCII bytes; every other ASCII byte separates
/// terms. ASCII letters are lower-cased. This is exactly what SQLite FTS5's `ascii` tokenizer does, so the
/// index built from our terms and the queries built from our terms agree. Dotted names, paths, IPs and
/// UUIDs are found by their parts; the query layer checks whole values against the stored text.
public enum Tokenizer {
    /// Terms longer than this are cut to their first `maxTermLength` bytes, in the index and in queries alike,
    /// so base64 blobs and long hex ids cost little index space and are still found.
    public static let maxTermLength = 64

    /// Lookup: 1 for term bytes, 0 for separators.
    public static let isTermByte: [Bool] = (0..<256).map { b in
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b >= 128
    }

    /// Calls `body` with each term of `text` (lower-cased, as a buffer valid only during the call).
    @inline(__always)
    public static func forEachTerm(in text: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let n = text.count
        var i = 0
        isTermByte.withUnsafeBufferPointer { table in
            while i < n {
                while i < n, !table[Int(text[i])] { i += 1 }
                let start = i
                while i < n, table[Int(text[i])] { i += 1 }
                let len = i - start
                if len == 0 { continue }
                scratch.removeAll(keepingCapacity: true)
                for j in start..<min(i, start + maxTermLength) {
                    let b = text[j]
                    scratch.append(b >= 65 && b <= 90 ? b | 0x20 : b)
                }
                scratch.withUnsafeBufferPointer { body($0) }
            }
        }
    }

    /// The terms of a string, lower-cased, in order (used for queries).
    public static func terms(of text: String) -> [String] {
        var out: [String] = []
        var scratch: [UInt8] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buf in
            forEachTerm(in: UnsafeBufferPointer(buf), scratch: &scratch) { out.append(String(decoding: $0, as: UTF8.self)) }
        }
        return out
    }
}
