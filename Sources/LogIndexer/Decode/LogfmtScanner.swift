/// Scans logfmt (`key=value key2="quoted \" value" flag`) without allocating.
public enum LogfmtScanner {
    /// Calls `pair` with each key, its raw value (inside quotes, still escaped) and whether it was quoted.
    /// Returns false on an unterminated quote or a pair without a key.
    @inline(__always)
    public static func scan(_ p: UnsafeBufferPointer<UInt8>, _ pair: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, Bool) -> Void) -> Bool {
        var i = 0
        let n = p.count
        while i < n {
            while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
            guard i < n else { break }
            let keyStart = i
            while i < n, p[i] != 0x3D, p[i] != 0x20, p[i] != 0x22 { i += 1 }
            let key = UnsafeBufferPointer(rebasing: p[keyStart..<i])
            if i < n, p[i] == 0x22 { return false }
            guard i < n, p[i] == 0x3D else {
                if key.isEmpty { return false }
                pair(key, UnsafeBufferPointer(rebasing: p[i..<i]), false)
                continue
            }
            if key.isEmpty { return false }
            i += 1
            if i < n, p[i] == 0x22 {
                i += 1
                let vStart = i
                while i < n, p[i] != 0x22 { if p[i] == 0x5C { i += 1 }; i += 1 }
                guard i < n else { return false }
                pair(key, UnsafeBufferPointer(rebasing: p[vStart..<i]), true)
                i += 1
            } else {
                let vStart = i
                while i < n, p[i] != 0x20 { i += 1 }
                pair(key, UnsafeBufferPointer(rebasing: p[vStart..<i]), false)
            }
        }
        return true
    }

    /// A quoted logfmt value with `\"`, `\\`, `\n`, `\t` resolved.
    public static func unquote(_ v: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(v.count)
        var i = 0
        while i < v.count {
            if v[i] == 0x5C, i + 1 < v.count {
                switch v[i + 1] {
                case 0x6E: out.append(0x0A)
                case 0x74: out.append(0x09)
                case 0x72: out.append(0x0D)
                default: out.append(v[i + 1])
                }
                i += 2
            } else {
                out.append(v[i]); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
