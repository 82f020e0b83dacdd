/// How logsift shows a problem at a place in a file: `file:line:col: error: message`, the line with a
/// caret under the column, and a hint (compiler style, shared by every config file reader).
public enum Diagnostic {
    /// `line` 0: not at one place (no snippet shown).
    public static func render(source: String, line: Int, column: Int, message: String, help: String, snippet: String) -> String {
        var out = line > 0 ? "\(source):\(line):\(column): error: \(message)" : "\(source): error: \(message)"
        if line > 0, !snippet.isEmpty {
            let gutter = String(line)
            out += "\n \(gutter) | \(snippet)"
            out += "\n " + String(repeating: " ", count: gutter.count) + " | " + String(repeating: " ", count: max(0, column - 1)) + "^"
        }
        if !help.isEmpty { out += "\n help: \(help)" }
        return out
    }

    /// Levenshtein distance, for "did you mean" hints.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count { cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)) }
            prev = cur
        }
        return prev[b.count]
    }
}
