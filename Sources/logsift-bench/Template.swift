import Foundation

/// Severity of a generated event.
enum Level: UInt8, Sendable {
    case trace, debug, info, warn, error, fatal
}

/// Output stream of a container line.
enum LogStream: UInt8, Sendable {
    case stdout, stderr
}

/// How a service lays out one event around its message.
enum Layout: UInt8, Sendable {
    /// zap production JSON: `{"level":"info","ts":"...","caller":"x.go:12","msg":"...",...}`
    case zapJSON
    /// structlog JSON: `{"timestamp":"...","level":"info","event":"...",...,"logger":"..."}`
    case structlogJSON
    /// `time=... level=info msg="..." key=value`
    case logfmt
    /// `2026-11-19 10:00:00,123 INFO module: message`
    case python
    /// Spring Boot / logback console pattern.
    case spring
    /// Go klog: `I1119 10:00:00.123456       1 file.go:123] "msg" key="v"`
    case klog
    /// The message is the whole line (access logs, CLI tools).
    case raw
}

/// A message template as written in a dialect: `text` is a message with `{slot}` placeholders,
/// optionally followed by ` || ` and space-separated `key=value` fields (`key='a b'` for spaces).
struct TemplateSpec: Sendable {
    var level: Level
    var weight: Int
    var text: String
    var layout: Layout?
    var stream: LogStream?
    var logger: String?

    init(_ level: Level, _ weight: Int, _ text: String, layout: Layout? = nil, stream: LogStream? = nil, logger: String? = nil) {
        self.level = level
        self.weight = weight
        self.text = text
        self.layout = layout
        self.stream = stream
        self.logger = logger
    }
}

/// One literal run or slot of a compiled template.
struct TemplatePiece: Sendable {
    var slot: Slot
    var start: Int32
    var count: Int32
}

/// A structured field of a compiled template: key bytes in the pool, value pieces.
struct TemplateField: Sendable {
    var keyStart: Int32
    var keyCount: Int32
    var valueStart: Int32
    var valueEnd: Int32
    var numeric: Bool
}

/// A compiled template: ranges into its set's pool, pieces and fields.
struct CompiledTemplate: Sendable {
    var level: Level
    var layout: Layout?
    var stream: LogStream?
    var loggerStart: Int32
    var loggerCount: Int32
    var messageStart: Int32
    var messageEnd: Int32
    var fieldStart: Int32
    var fieldEnd: Int32
}

/// Templates compiled to flat arrays, with weighted sampling.
struct TemplateSet: Sendable {
    private(set) var pool: [UInt8] = []
    private(set) var pieces: [TemplatePiece] = []
    private(set) var fields: [TemplateField] = []
    private(set) var templates: [CompiledTemplate] = []
    private var cumulative: [Int] = []

    var isEmpty: Bool { templates.isEmpty }
    var count: Int { templates.count }

    /// Compiles `specs`; a template without a logger gets one of `loggers`, chosen by its text,
    /// and a `.go`/`.py`/`.java` logger gets a line number (the same template keeps the same caller).
    init(_ specs: [TemplateSpec], loggers: [String] = []) {
        var total = 0
        for spec in specs {
            var logger = spec.logger ?? ""
            let hash = stableHash(spec.text)
            if spec.logger == nil, !loggers.isEmpty {
                logger = loggers[Int(hash % UInt64(loggers.count))]
            }
            if logger.hasSuffix(".go") || logger.hasSuffix(".py") || logger.hasSuffix(".java") {
                logger += ":\(20 + (hash >> 20) % 880)"
            }
            let loggerStart = Int32(pool.count)
            pool.append(contentsOf: Array(logger.utf8))
            let loggerCount = Int32(pool.count) - loggerStart
            let parts = spec.text.components(separatedBy: " || ")
            let messageStart = Int32(pieces.count)
            compilePieces(parts[0])
            let messageEnd = Int32(pieces.count)
            let fieldStart = Int32(fields.count)
            if parts.count > 1 { compileFields(parts[1]) }
            templates.append(CompiledTemplate(
                level: spec.level, layout: spec.layout, stream: spec.stream,
                loggerStart: loggerStart, loggerCount: loggerCount,
                messageStart: messageStart, messageEnd: messageEnd,
                fieldStart: fieldStart, fieldEnd: Int32(fields.count)))
            total += max(0, spec.weight)
            cumulative.append(total)
        }
    }

    /// Index of a template drawn by weight.
    @inline(__always)
    func sample(_ rng: inout SplitMix64) -> Int {
        let target = rng.below(cumulative[cumulative.count - 1])
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }

    private mutating func compilePieces(_ text: String) {
        let bytes = Array(text.utf8)
        var literal: [UInt8] = []
        var i = 0
        func flush() {
            guard !literal.isEmpty else { return }
            pieces.append(TemplatePiece(slot: .literal, start: Int32(pool.count), count: Int32(literal.count)))
            pool.append(contentsOf: literal)
            literal.removeAll()
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "{"), let close = bytes[i...].firstIndex(of: UInt8(ascii: "}")),
               let slot = Slot(rawValue: String(decoding: bytes[(i + 1)..<close], as: UTF8.self)) {
                flush()
                pieces.append(TemplatePiece(slot: slot, start: 0, count: 0))
                i = close + 1
            } else {
                literal.append(bytes[i])
                i += 1
            }
        }
        flush()
    }

    private mutating func compileFields(_ text: String) {
        for (key, value) in splitFields(text) {
            let keyStart = Int32(pool.count)
            pool.append(contentsOf: Array(key.utf8))
            let keyCount = Int32(pool.count) - keyStart
            let valueStart = Int32(pieces.count)
            compilePieces(value)
            let valueEnd = Int32(pieces.count)
            let numeric = valueEnd - valueStart == 1 && pieces[Int(valueStart)].slot.isNumeric
                || (value.first.map { $0.isNumber } ?? false) && Double(value) != nil
            fields.append(TemplateField(keyStart: keyStart, keyCount: keyCount,
                                        valueStart: valueStart, valueEnd: valueEnd, numeric: numeric))
        }
    }
}

/// `a=1 b='x y' c={slot}` -> [(a, 1), (b, x y), (c, {slot})]
private func splitFields(_ text: String) -> [(String, String)] {
    var result: [(String, String)] = []
    var rest = Substring(text)
    while let eq = rest.firstIndex(of: "=") {
        let key = rest[..<eq].trimmingCharacters(in: .whitespaces)
        var after = rest[rest.index(after: eq)...]
        let value: Substring
        if after.first == "'" {
            after = after.dropFirst()
            let close = after.firstIndex(of: "'") ?? after.endIndex
            value = after[..<close]
            rest = close < after.endIndex ? after[after.index(after: close)...] : ""
        } else {
            let space = after.firstIndex(of: " ") ?? after.endIndex
            value = after[..<space]
            rest = after[space...]
        }
        result.append((key, String(value)))
    }
    return result
}

/// FNV-1a of a string: stable across runs and platforms (unlike `hashValue`).
func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    return hash
}
