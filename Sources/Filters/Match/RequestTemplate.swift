/// Request-log templates, for rule suggestions.
public enum RequestTemplate {
    /// True when `template` (variables as `<*>`) reads as a request-log line (a method and a path) whose status is
    /// one of its variables: a rule for it should say `status: [2xx, 3xx]`, or it would drop the same request
    /// when it fails.
    public static func hasVariableStatus(_ template: String) -> Bool {
        var bytes: [UInt8] = []
        var source = Array(template.utf8)[...]
        while let first = source.first {
            if first == 0x3C, source.starts(with: [0x3C, 0x2A, 0x3E]) {  // <*>
                bytes += [0x32, 0x30, 0x30]
                source = source.dropFirst(3)
            } else {
                bytes.append(first)
                source = source.dropFirst()
            }
        }
        let read = bytes.withUnsafeBufferPointer { t in
            var f = AccessLogFields()
            return f.method(in: t) != nil && f.path(in: t) != nil && f.status(in: t) == 200
        }
        return read || keyedStatus(template)
    }

    /// A logfmt template, whose `=` the miner turned into spaces: `method GET path /up ... status <*> ...`.
    private static func keyedStatus(_ template: String) -> Bool {
        let words = template.split(separator: " ")
        guard words.contains(where: { $0.hasPrefix("/") }) else { return false }
        return zip(words, words.dropFirst()).contains { key, value in
            value == "<*>" && ["status", "status_code", "statuscode", "http.status_code", "http.response.status_code"].contains(key.lowercased())
        }
    }
}
