import Foundation
import LogCore

/// JSON string literals, escaped so that the output is also safe inside HTML `<script>` and JavaScript.
public enum JSONText {
    /// `s` as a JSON string literal.
    public static func quote(_ s: String) -> String {
        var r = "\""
        r.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\r": r += "\\r"
            case "\t": r += "\\t"
            case "\u{2028}": r += "\\u2028"
            case "\u{2029}": r += "\\u2029"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    r += String(format: "\\u%04x", u.value)
                } else {
                    r.unicodeScalars.append(u)
                }
            }
        }
        return r + "\""
    }
}

extension StoredEvent {
    /// The event as one JSON object: time, labels, level, message, structured fields, format, text (when the
    /// message is not the whole text), template and flags. `logsift search --json` and the HTTP API print this.
    public var json: String {
        let f = EventFields(self)
        let l = labels
        var s = "{\"time\":\"\(Timestamp.rfc3339(ns))\""
        for (k, v) in [("deployment", l.deployment), ("namespace", l.namespace), ("pod", l.pod), ("container", l.container),
                       ("stream", l.stream), ("level", level.description), ("version", l.version), ("source", l.source)] {
            s += ",\"\(k)\":" + JSONText.quote(v)
        }
        s += ",\"message\":" + JSONText.quote(f.message)
        s += ",\"fields\":{"
        s += f.fields.map { JSONText.quote($0.key) + ":" + ($0.value.json ?? JSONText.quote($0.value.text)) }.joined(separator: ",")
        s += "},\"format\":\"\(format)\""
        if f.message != String(decoding: text, as: UTF8.self) { s += ",\"text\":" + JSONText.quote(String(decoding: text, as: UTF8.self)) }
        if template != 0 { s += ",\"template\":\"" + String(format: "%016llx", template) + "\"" }
        if !flags.isEmpty { s += ",\"flags\":[" + flags.names.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        return s + "}"
    }

    /// ``json`` with the events stored before and after it in its stream under `context`.
    public func json(before: [StoredEvent], after: [StoredEvent]) -> String {
        var s = json
        s.removeLast()
        return s + ",\"context\":{\"before\":[" + before.map(\.json).joined(separator: ",") + "],\"after\":["
            + after.map(\.json).joined(separator: ",") + "]}}"
    }
}
