import LogCore

/// The message and structured fields of a stored event, recovered from its text and format.
public struct EventFields: Sendable {
    /// A field value: its text (unescaped for strings) and, for JSON output, whether it was a JSON string.
    public struct Value: Sendable, Equatable {
        public var text: String
        /// The value's JSON text when it was not a string (number, bool, null, object, array).
        public var json: String?
    }

    public var message: String
    public var fields: [(key: String, value: Value)]

    public init(_ e: StoredEvent) {
        message = ""
        fields = []
        var msg: String? = nil
        e.text.withUnsafeBufferPointer { p in
            switch e.format {
            case .json:
                var out: [(key: String, value: Value)] = []
                var best = MessageChoice()
                _ = JSONScanner.scanObject(p) { key, v in
                    let k = String(decoding: key, as: UTF8.self)
                    let value: Value
                    if v.kind == .string { value = Value(text: JSONScanner.string(p, v), json: nil) }
                    else {
                        let raw = String(decoding: UnsafeBufferPointer(rebasing: p[v.range]), as: UTF8.self)
                        value = Value(text: raw, json: raw)
                    }
                    out.append((k, value))
                    if v.kind == .string { best.consider(FieldKeys.messageRank(k), at: out.count - 1) }
                }
                msg = best.take(&out)
                fields = out
            case .logfmt:
                fields = Self.logfmtFields(p, &msg)
            case .plain, .ci:
                // `2026-11-20T10:00:00Z INFO component=api user_id=42 msg="done"`: pairs after the prefix.
                if let start = BodyDecoder.logfmtAfterPrefix(p, referenceNs: e.ns) {
                    fields = Self.logfmtFields(UnsafeBufferPointer(rebasing: p[start...]), &msg)
                }
            default:
                break
            }
        }
        message = msg ?? String(decoding: e.text, as: UTF8.self)
    }

    /// The pairs of logfmt text; the message key (``MessageChoice``) goes to `msg` instead.
    private static func logfmtFields(_ p: UnsafeBufferPointer<UInt8>, _ msg: inout String?) -> [(key: String, value: Value)] {
        var out: [(key: String, value: Value)] = []
        var best = MessageChoice()
        _ = LogfmtScanner.scan(p) { key, v, quoted in
            let k = String(decoding: key, as: UTF8.self)
            let text = quoted ? LogfmtScanner.unquote(v) : String(decoding: v, as: UTF8.self)
            out.append((k, Value(text: text, json: nil)))
            best.consider(FieldKeys.messageRank(k), at: out.count - 1)
        }
        if msg == nil { msg = best.take(&out) }
        return out
    }

    /// The field that is the message: the first `msg`/`message`, else the first `event` (structlog).
    struct MessageChoice {
        var rank = 0
        var index = -1

        mutating func consider(_ r: Int, at i: Int) { if r > rank { rank = r; index = i } }

        /// Removes the chosen field from `fields` and returns its text.
        func take(_ fields: inout [(key: String, value: Value)]) -> String? {
            index >= 0 ? fields.remove(at: index).value.text : nil
        }
    }

    /// A structured field's value by name; dotted names also reach into nested JSON objects.
    public func value(_ name: String) -> Value? {
        if let v = fields.first(where: { $0.key == name })?.value { return v }
        guard let dot = name.firstIndex(of: "."), let parent = fields.first(where: { $0.key == String(name[..<dot]) })?.value,
              let json = parent.json, json.hasPrefix("{")
        else { return nil }
        var bytes = Array(json.utf8)
        let rest = String(name[name.index(after: dot)...])
        return bytes.withUnsafeMutableBufferPointer { buf -> Value? in
            let p = UnsafeBufferPointer(buf)
            let sub = StoredEvent(labels: StreamLabels(source: ""), ns: 0, level: .unknown, flags: [], format: .json, text: Array(p))
            let inner = EventFields(sub)
            if FieldKeys.isMessage(rest), inner.message != json { return Value(text: inner.message, json: nil) }
            return inner.value(rest)
        }
    }
}
