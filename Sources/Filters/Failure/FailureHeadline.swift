/// The line that names a failure, for grouping: the exception line of a stack trace (Python's last
/// `Error: message` line, Java's first `...Exception: message` line, Go's `panic:` line), else the
/// first line. Stack frames differ from one occurrence to the next; the headline does not.
/// Texts of ASCII without CR (nearly all) take the byte path of FailureHeadline+Bytes.swift, which decides the same.
public enum FailureHeadline {
    public static func of(_ text: UnsafeBufferPointer<UInt8>) -> Substring {
        if let r = byteRange(text) { return Substring(String(decoding: UnsafeBufferPointer(rebasing: text[r]), as: UTF8.self)) }
        return decoded(text)
    }

    /// ``of(_:)`` on the decoded text, for any text (Characters, Unicode whitespace, letters and numbers).
    static func decoded(_ text: UnsafeBufferPointer<UInt8>) -> Substring {
        let s = Substring(String(decoding: text.prefix(16 << 10), as: UTF8.self))
        let lines = s.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count > 1 else { return lines.first ?? s }
        if lines.contains(where: { $0.contains("Traceback (most recent call last)") }) {
            // Python: the last unindented line that is not the traceback header or chaining prose.
            if let last = lines.last(where: { l in
                guard let f = l.first, !f.isWhitespace else { return false }
                return !l.contains("Traceback (most recent call last)") && !l.hasPrefix("During handling of the above exception")
                    && !l.hasPrefix("The above exception was the direct cause")
            }) { return last }
        }
        for l in lines {
            let t = l.drop { $0.isWhitespace }
            if t.hasPrefix("panic: ") || t.hasPrefix("fatal error: ") { return t }
        }
        for l in lines.dropFirst() {
            let t = l.drop { $0.isWhitespace }
            if t.hasPrefix("at ") || t.hasPrefix("...") || t.hasPrefix("Caused by:") { continue }
            if isExceptionLine(t) { return t }
        }
        return lines[0]
    }

    /// `java.lang.IllegalStateException: msg`, `ValueError: msg`, `System.NullReferenceException`.
    static func isExceptionLine(_ t: Substring) -> Bool {
        let name = t.prefix { $0.isLetter || $0.isNumber || $0 == "." || $0 == "$" || $0 == "_" }
        guard name.hasSuffix("Exception") || name.hasSuffix("Error") else { return false }
        let rest = t.dropFirst(name.count)
        return rest.isEmpty || rest.hasPrefix(":") || rest.hasPrefix(" ")
    }
}
