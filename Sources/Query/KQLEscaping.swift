extension KQL {
    /// Kibana's `escapeKuery`: backslash-escapes `\ ( ) : < > " *`, the keywords `and`/`or` between
    /// whitespace and `not` before whitespace, and writes tabs and line breaks as `\t`, `\r`, `\n`.
    ///
    /// Kept identical to Kibana for compatibility, including its flaws: braces are not escaped, and the
    /// grammar reads the `\not` it writes as a line break followed by `ot`. To write a value into a query,
    /// print a ``QueryValue`` with ``KQLPrinter``.
    public static func escapeKuery(_ text: String) -> String {
        var scalars: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if "\\():<>\"*".unicodeScalars.contains(scalar) { scalars.append("\\") }
            scalars.append(scalar)
        }
        scalars = KQLEscaping.escapeAndOr(scalars)
        scalars = KQLEscaping.escapeNot(scalars)
        var out = ""
        for scalar in scalars {
            switch scalar {
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Kibana's `escapeQuotes`: backslash-escapes `\` and `"`, for text to be put between double quotes.
    public static func escapeQuotes(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\\" || scalar == "\"" { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

/// The escaping ``KQLPrinter`` uses: the least that makes the parser read back the same text.
enum KQLEscaping {
    /// Text for inside double quotes: `\`, `"` and, for readability, tabs and line breaks are escaped.
    static func quoted(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 < 0x20 }) { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether `name` reads back unchanged when written bare (unquoted literals are trimmed).
    static func canWriteUnquoted(_ name: String) -> Bool {
        guard let first = name.utf16.first, let last = name.utf16.last else { return false }
        return !KQLParser.isJavaScriptWhitespace(first) && !KQLParser.isJavaScriptWhitespace(last)
    }

    /// An unquoted literal: special characters and line breaks escaped, and any keyword the grammar would
    /// stop at (`not` before a space, `or`/`and` between spaces) escaped. The end of the text counts as a
    /// space, since the query may go on with ` and ...`; a wildcard does not.
    static func unquoted(_ parts: [WildcardPattern.Part]) -> String {
        var out = ""
        for (index, part) in parts.enumerated() {
            switch part {
            case .wildcard:
                out += "*"
            case .text(let text):
                if isPlain(text) {
                    out += text
                } else {
                    escape(Array(text.unicodeScalars), endsLiteral: index == parts.count - 1, into: &out)
                }
            }
        }
        return out
    }

    /// True when `text` needs no escaping: no special character, control character, space, no-break
    /// space, or `not`.
    private static func isPlain(_ text: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            switch byte {
            case 0...0x20, 0x5C, 0x28, 0x29, 0x3A, 0x3C, 0x3E, 0x22, 0x2A, 0x7B, 0x7D, 0xC2: return false
            case 0x54, 0x74: if previous.0 | 0x20 == 0x6E, previous.1 | 0x20 == 0x6F { return false }  // n, o, t
            default: break
            }
            previous = (previous.1, byte)
        }
        return true
    }

    private static func escape(_ scalars: [Unicode.Scalar], endsLiteral: Bool, into out: inout String) {
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isRawSpace(scalar) {
                out.unicodeScalars.append(scalar)
                index += 1
                for keyword in ["or", "and"] where isKeyword(keyword, in: scalars, at: index, endsLiteral: endsLiteral) {
                    out += "\\" + String(String.UnicodeScalarView(scalars[index..<(index + keyword.count)]))
                    index += keyword.count
                    break
                }
                continue
            }
            if isKeyword("not", in: scalars, at: index, endsLiteral: endsLiteral) {
                // `\n` would be read as a line break, so a lower-case `n` is written as a code.
                out += scalar == "n" ? "\\u006E" : "\\" + String(scalar)
                out += String(String.UnicodeScalarView(scalars[(index + 1)..<(index + 3)]))
                index += 3
                continue
            }
            switch scalar {
            case "\\", "(", ")", ":", "<", ">", "\"", "*", "{", "}": out += "\\" + String(scalar)
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
            index += 1
        }
    }

    /// The whitespace the grammar's keyword lookahead sees, when written as itself.
    private static func isRawSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\u{A0}"
    }

    /// Whether `keyword` (any case) is at `index`, followed by a raw space or, if `endsLiteral`, the end.
    private static func isKeyword(_ keyword: String, in scalars: [Unicode.Scalar], at index: Int, endsLiteral: Bool) -> Bool {
        let end = index + keyword.count
        guard end <= scalars.count else { return false }
        for (offset, letter) in keyword.unicodeScalars.enumerated() {
            let scalar = scalars[index + offset]
            guard scalar.isASCII, Unicode.Scalar(UInt8(scalar.value) | 0x20) == letter else { return false }
        }
        return end < scalars.count ? isRawSpace(scalars[end]) : endsLiteral
    }

    // MARK: Kibana's escapeKuery steps

    /// JavaScript's `\s`.
    private static func isJavaScriptSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0xFFFF && KQLParser.isJavaScriptWhitespace(UInt16(scalar.value))
    }

    private static func matchesLowercased(_ scalars: [Unicode.Scalar], _ index: Int, _ word: String) -> Bool {
        let letters = Array(word.unicodeScalars)
        guard index + letters.count <= scalars.count else { return false }
        for offset in 0..<letters.count {
            let scalar = scalars[index + offset]
            guard scalar.isASCII, Unicode.Scalar(UInt8(scalar.value) | 0x20) == letters[offset] else { return false }
        }
        return true
    }

    /// `/(\s+)(and|or)(\s+)/gi` replaced by `$1\$2$3`.
    static func escapeAndOr(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var index = 0
        while index < scalars.count {
            guard isJavaScriptSpace(scalars[index]) else {
                out.append(scalars[index])
                index += 1
                continue
            }
            var wordStart = index
            while wordStart < scalars.count, isJavaScriptSpace(scalars[wordStart]) { wordStart += 1 }
            out.append(contentsOf: scalars[index..<wordStart])
            index = wordStart
            for word in ["and", "or"] where matchesLowercased(scalars, wordStart, word) {
                var end = wordStart + word.count
                guard end < scalars.count, isJavaScriptSpace(scalars[end]) else { continue }
                while end < scalars.count, isJavaScriptSpace(scalars[end]) { end += 1 }
                out.append("\\")
                out.append(contentsOf: scalars[wordStart..<end])
                index = end
                break
            }
        }
        return out
    }

    /// `/not(\s+)/gi` replaced by `\$&`.
    static func escapeNot(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var index = 0
        while index < scalars.count {
            var end = index + 3
            if matchesLowercased(scalars, index, "not"), end < scalars.count, isJavaScriptSpace(scalars[end]) {
                while end < scalars.count, isJavaScriptSpace(scalars[end]) { end += 1 }
                out.append("\\")
                out.append(contentsOf: scalars[index..<end])
                index = end
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return out
    }
}
