import LogCore

/// Makes text from logs safe in each output format. Log lines are attacker-controlled: control characters are
/// first shown as visible escapes (``TerminalEscaping``), then the format's own specials are escaped.
enum TextEscaping {
    /// Longest log-derived text a table cell shows, in characters.
    static let cellLimit = 240

    /// Visible control characters, cut to `limit` characters with `…`; newlines stay real ones only when
    /// `keepNewlines` is set.
    static func visible(_ s: String, limit: Int = cellLimit, keepNewlines: Bool = false) -> String {
        let v = TerminalEscaping.escape(Array(s.utf8), keepNewlines: keepNewlines)
        return v.count > limit ? String(v.prefix(limit)) + "…" : v
    }

    /// Text for HTML element content and attribute values.
    static func html(_ s: String, limit: Int = cellLimit, keepNewlines: Bool = false) -> String {
        var out = ""
        for ch in visible(s, limit: limit, keepNewlines: keepNewlines).unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Text for a Markdown table cell: no raw HTML, no emphasis or links, no cell breaks.
    static func markdown(_ s: String, limit: Int = cellLimit) -> String {
        var out = ""
        for ch in visible(s, limit: limit).unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "|", "`", "*", "_", "[", "]", "#", "~", "$": out += "\\" + String(ch)
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A YAML double-quoted scalar that reads back as `s`.
    static func yamlQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += u.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                                           : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// A Markdown code fence longer than any run of backticks in `text`.
    static func fence(for text: String) -> String {
        var longest = 0, run = 0
        for ch in text { if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        return String(repeating: "`", count: max(3, longest + 1))
    }
}
