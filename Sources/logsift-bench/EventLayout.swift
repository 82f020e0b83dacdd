/// Lays out one event (level, time, logger, message, fields) the way a service's logging library does.
struct EventLayout {
    /// Process id printed by Spring and klog.
    var pid = 1
    /// Application name printed by Spring in brackets.
    var applicationName: [UInt8] = []
    private let value = ByteSink(capacity: 64 * 1024)

    /// Renders template `index` of `set` into `out` (which may get `\n` for multi-line events).
    func render(_ set: TemplateSet, _ index: Int, layout defaultLayout: Layout, appTime: Int64,
                context ctx: inout SlotContext, into out: ByteSink) {
        let template = set.templates[index]
        switch template.layout ?? defaultLayout {
        case .zapJSON:
            out.append("{\"level\":\"")
            out.append(zapLevel(template.level))
            out.append("\",\"ts\":\"")
            out.appendTime(appTime, .isoMillis)
            out.append("\",\"caller\":\"")
            appendLogger(set, template, out)
            out.append("\",\"msg\":\"")
            renderValue(set, template.messageStart, template.messageEnd, &ctx)
            appendJSONEscaped(value.bytes, out)
            out.append(UInt8(ascii: "\""))
            appendJSONFields(set, template, &ctx, out)
            out.append(UInt8(ascii: "}"))
        case .structlogJSON:
            out.append("{\"timestamp\":\"")
            out.appendTime(appTime, .isoMicros)
            out.append("\",\"level\":\"")
            out.append(zapLevel(template.level))
            out.append("\",\"event\":\"")
            renderValue(set, template.messageStart, template.messageEnd, &ctx)
            appendJSONEscaped(value.bytes, out)
            out.append(UInt8(ascii: "\""))
            appendJSONFields(set, template, &ctx, out)
            out.append(",\"logger\":\"")
            appendLogger(set, template, out)
            out.append("\"}")
        case .logfmt:
            out.append("time=")
            out.appendTime(appTime, .isoMillis)
            out.append(" level=")
            out.append(zapLevel(template.level))
            out.append(" msg=")
            renderValue(set, template.messageStart, template.messageEnd, &ctx)
            appendLogfmtValue(value.bytes, out)
            appendTextFields(set, template, &ctx, out, quoteStrings: false)
        case .python:
            out.appendTime(appTime, .python)
            out.append(UInt8(ascii: " "))
            out.append(pythonLevel(template.level))
            out.append(UInt8(ascii: " "))
            appendLogger(set, template, out)
            out.append(": ")
            renderMessage(set, template, &ctx, out)
            appendTextFields(set, template, &ctx, out, quoteStrings: false)
        case .spring:
            out.appendTime(appTime, .isoMillis)
            out.append(UInt8(ascii: " "))
            out.append(springLevel(template.level))
            out.append(UInt8(ascii: " "))
            out.appendDecimal(pid)
            out.append(" --- [")
            out.append(applicationName)
            out.append("] [")
            let exec = 1 + ctx.rng.skewed(200)
            // Spring prints the thread as %15.15t: longer names lose their first characters.
            let thread: StaticString = exec < 10 ? "nio-8080-exec-" : exec < 100 ? "io-8080-exec-" : "o-8080-exec-"
            out.append(thread)
            out.appendDecimal(exec)
            out.append("] ")
            let loggerStart = out.count
            appendLogger(set, template, out)
            out.append(repeating: UInt8(ascii: " "), count: 40 - (out.count - loggerStart))
            out.append(" : ")
            renderMessage(set, template, &ctx, out)
            appendTextFields(set, template, &ctx, out, quoteStrings: false)
        case .klog:
            out.append(klogLevel(template.level))
            out.appendTime(appTime, .klog)
            out.append(UInt8(ascii: " "))
            let digits = pid < 10 ? 1 : pid < 100 ? 2 : pid < 1000 ? 3 : 4
            out.append(repeating: UInt8(ascii: " "), count: 7 - digits)
            out.appendDecimal(pid)
            out.append(UInt8(ascii: " "))
            appendLogger(set, template, out)
            out.append("] ")
            // Structured klog messages carry their own quotes in the template.
            renderMessage(set, template, &ctx, out)
            appendTextFields(set, template, &ctx, out, quoteStrings: true)
        case .raw:
            renderMessage(set, template, &ctx, out)
            appendTextFields(set, template, &ctx, out, quoteStrings: false)
        }
    }

    /// Renders pieces `start..<end` straight into `out`.
    func renderPieces(_ set: TemplateSet, _ start: Int32, _ end: Int32, _ ctx: inout SlotContext, _ out: ByteSink) {
        set.pool.withUnsafeBufferPointer { pool in
            var i = Int(start)
            while i < Int(end) {
                let piece = set.pieces[i]
                if piece.slot == .literal {
                    out.append(UnsafeBufferPointer(rebasing: pool[Int(piece.start)..<Int(piece.start + piece.count)]))
                } else {
                    ctx.render(piece.slot, into: out)
                }
                i += 1
            }
        }
    }

    private func renderMessage(_ set: TemplateSet, _ template: CompiledTemplate, _ ctx: inout SlotContext, _ out: ByteSink) {
        renderPieces(set, template.messageStart, template.messageEnd, &ctx, out)
    }

    private func renderValue(_ set: TemplateSet, _ start: Int32, _ end: Int32, _ ctx: inout SlotContext) {
        value.removeAll()
        renderPieces(set, start, end, &ctx, value)
    }

    private func appendLogger(_ set: TemplateSet, _ template: CompiledTemplate, _ out: ByteSink) {
        set.pool.withUnsafeBufferPointer { pool in
            out.append(UnsafeBufferPointer(rebasing: pool[Int(template.loggerStart)..<Int(template.loggerStart + template.loggerCount)]))
        }
    }

    private func appendKey(_ set: TemplateSet, _ field: TemplateField, _ out: ByteSink) {
        set.pool.withUnsafeBufferPointer { pool in
            out.append(UnsafeBufferPointer(rebasing: pool[Int(field.keyStart)..<Int(field.keyStart + field.keyCount)]))
        }
    }

    private func appendJSONFields(_ set: TemplateSet, _ template: CompiledTemplate, _ ctx: inout SlotContext, _ out: ByteSink) {
        var i = Int(template.fieldStart)
        while i < Int(template.fieldEnd) {
            let field = set.fields[i]
            out.append(",\"")
            appendKey(set, field, out)
            out.append("\":")
            if field.numeric {
                renderPieces(set, field.valueStart, field.valueEnd, &ctx, out)
            } else {
                out.append(UInt8(ascii: "\""))
                renderValue(set, field.valueStart, field.valueEnd, &ctx)
                appendJSONEscaped(value.bytes, out)
                out.append(UInt8(ascii: "\""))
            }
            i += 1
        }
    }

    /// ` key=value` pairs; strings are quoted when needed (always, for klog).
    private func appendTextFields(_ set: TemplateSet, _ template: CompiledTemplate, _ ctx: inout SlotContext,
                                  _ out: ByteSink, quoteStrings: Bool) {
        var i = Int(template.fieldStart)
        while i < Int(template.fieldEnd) {
            let field = set.fields[i]
            out.append(UInt8(ascii: " "))
            appendKey(set, field, out)
            out.append(UInt8(ascii: "="))
            if field.numeric {
                renderPieces(set, field.valueStart, field.valueEnd, &ctx, out)
            } else {
                renderValue(set, field.valueStart, field.valueEnd, &ctx)
                if quoteStrings {
                    out.append(UInt8(ascii: "\""))
                    appendJSONEscaped(value.bytes, out)
                    out.append(UInt8(ascii: "\""))
                } else {
                    appendLogfmtValue(value.bytes, out)
                }
            }
            i += 1
        }
    }
}

/// Quotes a logfmt value when it holds a space, quote, `=` or control byte.
func appendLogfmtValue(_ bytes: UnsafeBufferPointer<UInt8>, _ out: ByteSink) {
    var needsQuotes = bytes.isEmpty
    for byte in bytes where byte <= 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "=") {
        needsQuotes = true
        break
    }
    if needsQuotes {
        out.append(UInt8(ascii: "\""))
        appendJSONEscaped(bytes, out)
        out.append(UInt8(ascii: "\""))
    } else {
        out.append(bytes)
    }
}

/// JSON string escaping as Go's encoding/json does it (including `<`, `>`, `&` when `html` is set).
func appendJSONEscaped(_ bytes: UnsafeBufferPointer<UInt8>, _ out: ByteSink, html: Bool = false) {
    out.reserve(bytes.count + 16)
    var runStart = 0
    var i = 0
    while i < bytes.count {
        let byte = bytes[i]
        let special = byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            || (html && (byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")))
        if special {
            if i > runStart { out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
            switch byte {
            case UInt8(ascii: "\""): out.append("\\\"")
            case UInt8(ascii: "\\"): out.append("\\\\")
            case UInt8(ascii: "\n"): out.append("\\n")
            case UInt8(ascii: "\t"): out.append("\\t")
            case UInt8(ascii: "\r"): out.append("\\r")
            default:
                out.append("\\u00")
                out.appendHex(UInt64(byte), digits: 2)
            }
            runStart = i + 1
        }
        i += 1
    }
    if runStart < bytes.count { out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
}

private func zapLevel(_ level: Level) -> StaticString {
    switch level {
    case .trace, .debug: return "debug"
    case .info: return "info"
    case .warn: return "warn"
    case .error: return "error"
    case .fatal: return "fatal"
    }
}

private func pythonLevel(_ level: Level) -> StaticString {
    switch level {
    case .trace, .debug: return "DEBUG"
    case .info: return "INFO"
    case .warn: return "WARNING"
    case .error: return "ERROR"
    case .fatal: return "CRITICAL"
    }
}

private func springLevel(_ level: Level) -> StaticString {
    switch level {
    case .trace: return "TRACE"
    case .debug: return "DEBUG"
    case .info: return " INFO"
    case .warn: return " WARN"
    case .error, .fatal: return "ERROR"
    }
}

private func klogLevel(_ level: Level) -> StaticString {
    switch level {
    case .trace, .debug, .info: return "I"
    case .warn: return "W"
    case .error: return "E"
    case .fatal: return "F"
    }
}
