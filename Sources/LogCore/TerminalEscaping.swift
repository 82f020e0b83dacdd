/// Makes log text safe to print on a terminal.
///
/// Log lines are attacker-controlled (CVE-2009-4487, CVE-2021-25743): control characters, ANSI/OSC escape
/// sequences, lone CR and Unicode line separators are shown as visible escapes, never passed through raw.
/// Invalid UTF-8 bytes are shown as `\xNN`. Tabs stay tabs; newlines inside multiline events are kept as
/// real line breaks only when `keepNewlines` is set (continuation lines are then indented by the caller).
public enum TerminalEscaping {
    public static func escape(_ bytes: some Collection<UInt8>, keepNewlines: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(bytes.count)
        var it = Array(bytes)[...]
        while let b = it.first {
            if b < 0x80 {
                it = it.dropFirst()
                switch b {
                case 0x09: out.append("\t")
                case 0x0A: out.append(keepNewlines ? "\n" : "\\n")
                case 0x0D: out.append("\\r")
                case 0x1B: out.append("\\e")
                case 0x00: out.append("\\0")
                case 0x01...0x1F, 0x7F: out.append("\\x" + hex(b))
                default: out.unicodeScalars.append(Unicode.Scalar(b))
                }
                continue
            }
            // Decode one UTF-8 scalar; on failure show the byte.
            if let (scalar, len) = decodeScalar(it) {
                it = it.dropFirst(len)
                switch scalar.value {
                case 0x80...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
                    // C1 controls (incl. CSI 0x9B), line/paragraph separators and bidi overrides.
                    out.append("\\u{" + String(scalar.value, radix: 16) + "}")
                default:
                    out.unicodeScalars.append(scalar)
                }
            } else {
                it = it.dropFirst()
                out.append("\\x" + hex(b))
            }
        }
        return out
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }

    private static func decodeScalar(_ s: ArraySlice<UInt8>) -> (Unicode.Scalar, Int)? {
        let b0 = s[s.startIndex]
        let len: Int
        var v: UInt32
        switch b0 {
        case 0xC2...0xDF: len = 2; v = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: len = 3; v = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: len = 4; v = UInt32(b0 & 0x07)
        default: return nil
        }
        guard s.count >= len else { return nil }
        for k in 1..<len {
            let b = s[s.startIndex + k]
            guard b & 0xC0 == 0x80 else { return nil }
            v = v << 6 | UInt32(b & 0x3F)
        }
        // Reject overlong encodings and surrogates.
        if (len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) { return nil }
        guard let scalar = Unicode.Scalar(v) else { return nil }
        return (scalar, len)
    }
}
