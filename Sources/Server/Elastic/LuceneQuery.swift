import Foundation

/// Lucene's query_string syntax mapped onto KQL where the two agree: `field:value`, quoted phrases, `*`
/// wildcards, `AND`/`OR`/`NOT` (also `&&`, `||`, `!`) and parentheses read the same. What KQL cannot say is
/// refused by name: ranges (`[a TO b]`, `{a TO b}`), fuzzy and proximity (`~`), boosts (`^`), regular
/// expressions (`/…/`), required/prohibited prefixes (`+`, `-`) and `_exists_`.
enum LuceneQuery {
    struct Unsupported: Error {
        var what: String
    }

    static func toKQL(_ lucene: String) throws(Unsupported) -> String {
        let text = lucene.trimmingCharacters(in: .whitespaces)
        if text == "*" || text == "*:*" { return "" }
        var out = ""
        var inQuote = false, escaped = false
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            defer { i += 1 }
            if escaped { out.append(c); escaped = false; continue }
            if c == "\\" { out.append(c); escaped = true; continue }
            if c == "\"" { inQuote.toggle(); out.append(c); continue }
            if inQuote { out.append(c); continue }
            let atTermStart = i == 0 || " (:".contains(chars[i - 1])
            switch c {
            case "[", "{", "]", "}":
                if text.contains(" TO ") { throw Unsupported(what: "range queries ([a TO b], {a TO b})") }
                throw Unsupported(what: "the character '\(c)' outside quotes")
            case "~": throw Unsupported(what: "fuzzy and proximity queries (~)")
            case "^": throw Unsupported(what: "boosts (^)")
            case "/" where atTermStart: throw Unsupported(what: "regular expressions (/…/)")
            case "+" where atTermStart: throw Unsupported(what: "the required operator (+)")
            case "-" where atTermStart: throw Unsupported(what: "the prohibit operator (-); use NOT")
            case "&" where i + 1 < chars.count && chars[i + 1] == "&": out += " and "; i += 1
            case "|" where i + 1 < chars.count && chars[i + 1] == "|": out += " or "; i += 1
            case "!" where atTermStart: out += " not "
            default: out.append(c)
            }
        }
        if out.contains("_exists_") { throw Unsupported(what: "_exists_ (use field:*)") }
        return out
    }
}
