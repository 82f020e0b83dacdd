import LogCore
#if canImport(Glibc)
import Glibc
#endif

/// Rebuilds a segment's texts from its ``TextTemplate``s and variable columns. Each template is compiled once
/// into steps (literal runs copied whole, variables formatted in place), and the texts are written into one
/// buffer of the size the segment records: the first version appended byte by byte and made a phrase search
/// decoding every segment 4× slower than whole texts.
struct TextRebuilder {
    /// One step of a compiled template; a plain struct (a switch over an enum with payloads goes through the
    /// runtime, measured at 4% of a phrase search).
    struct Step {
        static let literal: UInt8 = 0, int: UInt8 = 1, digits: UInt8 = 2, hex: UInt8 = 3, uuid: UInt8 = 4, time: UInt8 = 5, word: UInt8 = 6
        var kind: UInt8
        /// digits: the width; hex: the byte count; time: the precision.
        var x: UInt8 = 0
        /// time: the separators.
        var y: UInt8 = 0, z: UInt8 = 0
        /// literal: bytes `start..<end` of the templates column.
        var start: Int32 = 0, end: Int32 = 0
    }

    /// Compiled templates: the steps, and each template's range of them (-1 before its first use).
    struct Programs {
        var steps: [Step] = []
        var start: [Int32]
        var end: [Int32]
    }

    private(set) var steps: [Step] = []
    /// Each template's steps, compiled when the template is first used (-1 before): an id lookup rebuilds a few
    /// events of a segment holding ~500 templates.
    private var programStart: [Int32]
    private var programEnd: [Int32]
    /// What was compiled, handed on to the next segment of a block whose templates it shares (`LSG4`); this
    /// rebuilder keeps none of it.
    mutating func takePrograms() -> Programs {
        defer { steps = []; programStart = []; programEnd = [] }
        return Programs(steps: steps, start: programStart, end: programEnd)
    }
    private let column: [UInt8]
    private let base: Int
    private let bounds: [Range<Int>]
    var ints: ColumnCursor
    var hex: ColumnCursor
    var times: ColumnCursor
    var strs: ColumnCursor

    var templateCount: Int { bounds.count }
    /// Whether every template has been used (the encoder writes no template that no event uses).
    var allCompiled: Bool { !programStart.contains(-1) }
    var atEnd: Bool { ints.atEnd && hex.atEnd && times.atEnd && strs.atEnd }

    /// The templates at `bounds` (ranges of `column`, offset by `base`).
    /// `compiled`: what a segment with the same templates compiled (they are not compiled again).
    init(templates column: [UInt8], base: Int, bounds: [Range<Int>], ints: [UInt8], hex: [UInt8], times: [UInt8], strs: [UInt8],
         compiled: Programs? = nil) throws {
        self.ints = ColumnCursor(ints)
        self.hex = ColumnCursor(hex)
        self.times = ColumnCursor(times)
        self.strs = ColumnCursor(strs)
        self.column = column
        self.base = base
        self.bounds = bounds
        if let compiled, compiled.start.count == bounds.count, compiled.end.count == bounds.count {
            steps = compiled.steps
            programStart = compiled.start
            programEnd = compiled.end
            return
        }
        programStart = Array(repeating: -1, count: bounds.count)
        programEnd = Array(repeating: -1, count: bounds.count)
        // A step takes at least one byte of its template, most ~6: grown step by step, the array's copies into
        // fresh pages were most of the compiling's cost.
        steps.reserveCapacity(column.count / 4)
    }

    /// Each template's ``Shape``, worked out on first use (`ints` -1 before); empty until one is.
    private var shapes: [Shape] = []

    /// What one event of template `t` reads from each column.
    @inline(__always)
    mutating func shape(_ t: Int) throws -> Shape {
        if shapes.isEmpty { shapes = Array(repeating: Shape(ints: -1), count: bounds.count) }
        if shapes[t].ints < 0 {
            var s = Shape()
            try column.withUnsafeBufferPointer { try Self.parse($0, base: base, bounds: bounds[t], into: &s) }
            shapes[t] = s
        }
        return shapes[t]
    }

    /// The steps of template `t`, compiled on first use.
    @inline(__always)
    mutating func program(_ t: Int) throws -> Range<Int> {
        if programStart[t] < 0 {
            let first = steps.count
            try column.withUnsafeBufferPointer { try Self.compile($0, base: base, bounds: bounds[t], steps: &steps) }
            programStart[t] = Int32(first)
            programEnd[t] = Int32(steps.count)
        }
        return Int(programStart[t])..<Int(programEnd[t])
    }

    /// What one event of a template reads from each variable column: enough to pass over the event without
    /// compiling its template (an id lookup passes over all but a few events of a segment whose ~750 templates
    /// are nearly all used once or twice: compiling them was a third of the lookup).
    struct Shape: TemplateVisitor {
        /// Numbers (`ints` column varints), hex bytes, times (`times` column varints), words (`strs` column entries).
        var ints: Int32 = 0, hexBytes: Int32 = 0, times: Int32 = 0, words: Int32 = 0
        mutating func literal(_ start: Int, _ end: Int) {}
        mutating func variable(_ kind: UInt8, _ x: UInt8, _ y: UInt8, _ z: UInt8) {
            switch kind {
            case Step.int, Step.digits: ints += 1
            case Step.hex: hexBytes += Int32(x)
            case Step.uuid: hexBytes += 16
            case Step.time: times += 1
            default: words += 1
            }
        }
    }

    /// Appends a template's steps.
    private struct Compiler: TemplateVisitor {
        var steps: [Step]
        @inline(__always)
        mutating func literal(_ start: Int, _ end: Int) { steps.append(Step(kind: Step.literal, start: Int32(start), end: Int32(end))) }
        @inline(__always)
        mutating func variable(_ kind: UInt8, _ x: UInt8, _ y: UInt8, _ z: UInt8) { steps.append(Step(kind: kind, x: x, y: y, z: z)) }
    }

    private static func compile(_ p: UnsafeBufferPointer<UInt8>, base: Int, bounds r: Range<Int>, steps: inout [Step]) throws {
        var c = Compiler(steps: [])
        swap(&c.steps, &steps)
        defer { swap(&c.steps, &steps) }
        try parse(p, base: base, bounds: r, into: &c)
    }

    /// One pass over a template's bytes, no closures (captured loop variables would be boxed on the heap): each
    /// literal run (an escaped byte is a run of its own) and each variable, in order.
    @inline(__always)
    static func parse<V: TemplateVisitor>(_ p: UnsafeBufferPointer<UInt8>, base: Int, bounds r: Range<Int>, into v: inout V) throws {
        var i = base + r.lowerBound
        let end = base + r.upperBound
        var run = i
        while i < end {
            i = skipLiterals(p, from: i, to: end)
            guard i < end else { break }
            let c = p[i]
            if c &- TextTemplate.escape >= 7 { i += 1; continue }
            if i > run { v.literal(run, i) }
            i += 1
            let operands = c == TextTemplate.escape || c == TextTemplate.digits || c == TextTemplate.hex ? 1 : c == TextTemplate.time ? 3 : 0
            guard i + operands <= end else { throw corruptBlock("short template") }
            switch c {
            case TextTemplate.escape: v.literal(i, i + 1)
            case TextTemplate.int: v.variable(Step.int, 0, 0, 0)
            case TextTemplate.digits:
                guard (2...19).contains(p[i]) else { throw corruptBlock("digits out of range") }
                v.variable(Step.digits, p[i], 0, 0)
            case TextTemplate.hex: v.variable(Step.hex, p[i], 0, 0)
            case TextTemplate.uuid: v.variable(Step.uuid, 0, 0, 0)
            case TextTemplate.time:
                guard p[i] <= 9 || (p[i] & 0xF0 == TextTemplate.webTime && p[i] & 0x0F <= 9 && p[i + 1] == 0 && p[i + 2] == 0) else {
                    throw corruptBlock("bad time precision")
                }
                v.variable(Step.time, p[i], p[i + 1], p[i + 2])
            default: v.variable(Step.word, 0, 0, 0)
            }
            i += operands
            run = i
        }
        if end > run { v.literal(run, end) }
    }

    /// The index of the first byte at or after `i` that may be a marker (0x10...0x17), or of one of the last 7
    /// bytes before `end`: literal runs are skipped 8 bytes at a time (templates are mostly literal).
    @inline(__always)
    static func skipLiterals(_ p: UnsafeBufferPointer<UInt8>, from i: Int, to end: Int) -> Int {
        var i = i
        let base = UnsafeRawPointer(p.baseAddress!)
        while i + 8 <= end {
            let y = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x1010_1010_1010_1010
            // Some byte of y below 8 (of the word, below 0x18 and at least 0x10).
            if (y &- 0x0808_0808_0808_0808) & ~y & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        return i
    }

    /// Calls `body` with the index in `column` of each byte `b` at or after `base` (found with `memchr`) and the
    /// template holding it (`bounds`, offset by `base`, consecutive); bytes in no template are passed over. When
    /// `body` returns true, the rest of that template is passed over.
    static func forEach(_ b: UInt8, in column: UnsafeBufferPointer<UInt8>, base: Int, bounds: [Range<Int>],
                        _ body: (_ at: Int, _ template: Int) -> Bool) {
        guard let start = column.baseAddress else { return }
        var at = base
        // Hits come in order, so the template holding one is found by stepping on from the last one's (a binary
        // search per hit was most of an id lookup's scan for time markers, about one per template).
        var t = 0
        while at < column.count, let hit = memchr(start + at, Int32(b), column.count - at) {
            let i = UnsafeRawPointer(start).distance(to: UnsafeRawPointer(hit))
            at = i + 1
            let x = i - base
            while t < bounds.count, bounds[t].upperBound <= x { t += 1 }
            guard t < bounds.count else { return }
            if bounds[t].contains(x), body(i, t) { at = base + bounds[t].upperBound }
        }
    }

    /// Writes the text of template `t` for the event at `ns`.
    @inline(__always)
    mutating func rebuild(_ t: Int, ns: Int64, templates: UnsafeBufferPointer<UInt8>, into w: inout TextWriter) throws {
        for k in try program(t) {
            let step = steps[k]
            switch step.kind {
            case Step.literal:
                try w.write(UnsafeBufferPointer(rebasing: templates[Int(step.start)..<Int(step.end)]))
            case Step.int:
                let v = try ints.varint()
                guard v < 1_000_000_000_000_000_000 else { throw corruptBlock("integer out of range") }
                try w.decimal(v, width: 0)
            case Step.digits:
                let v = try ints.varint()
                guard v < TextTemplate.pow10Wide[Int(step.x)] else { throw corruptBlock("digits out of range") }
                try w.decimal(v, width: Int(step.x))
            case Step.hex:
                try w.hex(try hex.bytes(Int(step.x)), dashes: false)
            case Step.uuid:
                try w.hex(try hex.bytes(16), dashes: true)
            case Step.time:
                let z = try times.varint()
                if step.x >= TextTemplate.webTime {
                    try w.webTime(ns: ns, units: BlockCodec.unzigzag(z), precision: Int(step.x & 0x0F))
                } else {
                    try w.time(ns: ns, units: BlockCodec.unzigzag(z), precision: Int(step.x), separator: step.y,
                               fractionSeparator: step.z)
                }
            default:
                let len = try strs.varint()
                guard len <= UInt64(strs.remaining) else { throw corruptBlock("short word column") }
                let bytes = try strs.bytes(Int(len))
                try bytes.withUnsafeBufferPointer { try w.write($0) }
            }
        }
    }
}

/// Receives a template's parts from ``TextRebuilder/parse(_:base:bounds:into:)``.
protocol TemplateVisitor {
    /// Bytes `start..<end` of the templates column, copied as they are.
    mutating func literal(_ start: Int, _ end: Int)
    /// A variable of ``TextRebuilder/Step`` kind `kind` with its operands.
    mutating func variable(_ kind: UInt8, _ x: UInt8, _ y: UInt8, _ z: UInt8)
}

/// Writes texts into a buffer of a known size; writing past its end is a corrupt block.
struct TextWriter {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    var at = 0
    /// The last date written by ``time(ns:units:precision:separator:fractionSeparator:)``, `YYYY-MM-DD`.
    private var cachedDay = Int64.min
    private var date: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    init(buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    @inline(__always)
    private func room(_ n: Int) throws {
        guard n <= buffer.count - at else { throw corruptBlock("texts longer than recorded") }
    }

    @inline(__always)
    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try room(bytes.count)
        if let from = bytes.baseAddress { (buffer.baseAddress! + at).update(from: from, count: bytes.count) }
        at += bytes.count
    }

    @inline(__always)
    mutating func byte(_ c: UInt8) throws {
        try room(1)
        buffer[at] = c
        at += 1
    }

    /// `v` in decimal, left-padded with zeros to `width` digits.
    @inline(__always)
    mutating func decimal(_ v: UInt64, width: Int) throws {
        // No table here: a global array costs a lazy-initialisation check on every call in this hot loop.
        var n = 1, rest = v
        while rest >= 10 { rest /= 10; n += 1 }
        let digits = max(n, width)
        try room(digits)
        var x = v
        var k = at + digits - 1
        while k >= at {
            buffer[k] = UInt8(truncatingIfNeeded: x % 10) &+ 0x30
            x /= 10
            k -= 1
        }
        at += digits
    }

    @inline(__always)
    mutating func hex(_ bytes: ArraySlice<UInt8>, dashes: Bool) throws {
        try room(bytes.count * 2 + (dashes ? 4 : 0))
        for (k, x) in bytes.enumerated() {
            if dashes, k == 4 || k == 6 || k == 8 || k == 10 { buffer[at] = 0x2D; at += 1 }
            let hi = x >> 4, lo = x & 15
            buffer[at] = hi < 10 ? 0x30 &+ hi : 0x57 &+ hi
            buffer[at + 1] = lo < 10 ? 0x30 &+ lo : 0x57 &+ lo
            at += 2
        }
    }

    /// The instant `ns` + `q` units of 10^(9−p) ns as (days since 1970, second of the day, ns of the second).
    private static func instant(ns: Int64, units q: Int64, precision p: Int) throws -> (days: Int64, sod: Int64, frac: Int64) {
        var unit: Int64 = 1
        for _ in p..<9 { unit &*= 10 }
        let (d, o1) = q.multipliedReportingOverflow(by: unit)
        let (instant, o2) = ns.addingReportingOverflow(d)
        // The encoder only writes times in 1900...2261.
        guard !o1, !o2, instant >= -2_208_988_800_000_000_000, instant < 9_214_646_400_000_000_000 else { throw corruptBlock("time out of range") }
        var secs = instant / 1_000_000_000, frac = instant % 1_000_000_000
        if frac < 0 { frac += 1_000_000_000; secs -= 1 }
        var days = secs / 86_400, sod = secs % 86_400
        if sod < 0 { sod += 86_400; days -= 1 }
        return (days, sod, frac)
    }

    /// A web server's time, `DD/Mon/YYYY:HH:MM:SS` (``TextTemplate/encodeWebTime``).
    mutating func webTime(ns: Int64, units q: Int64, precision p: Int) throws {
        let (days, sod, frac) = try Self.instant(ns: ns, units: q, precision: p)
        guard p == 9 || frac == 0 else { throw corruptBlock("web time with a fraction") }
        let (y, m, d) = Timestamp.civil(fromDays: Int(days))
        try decimal(UInt64(d), width: 2)
        try byte(0x2F)
        for c in TextTemplate.months[m - 1] { try byte(c) }
        try byte(0x2F)
        try decimal(UInt64(y), width: 4)
        for v in [sod / 3600, sod / 60 % 60, sod % 60] {
            try byte(0x3A)
            try decimal(UInt64(v), width: 2)
        }
    }

    mutating func time(ns: Int64, units q: Int64, precision p: Int, separator: UInt8, fractionSeparator: UInt8) throws {
        var unit: Int64 = 1
        for _ in p..<9 { unit &*= 10 }
        let (days, sod, frac) = try Self.instant(ns: ns, units: q, precision: p)
        if days != cachedDay {
            // Times of one segment nearly always fall on one day: its date is formatted once.
            let (y, m, dd) = Timestamp.civil(fromDays: Int(days))
            withUnsafeMutableBytes(of: &date) { d in
                for (k, v) in [(0, y / 1000), (1, y / 100 % 10), (2, y / 10 % 10), (3, y % 10), (5, m / 10), (6, m % 10), (8, dd / 10), (9, dd % 10)] {
                    d[k] = UInt8(truncatingIfNeeded: v) &+ 0x30
                }
                d[4] = 0x2D
                d[7] = 0x2D
            }
            cachedDay = days
        }
        try room(10)
        withUnsafeBytes(of: date) { d in
            for k in 0..<10 { buffer[at + k] = d[k] }
        }
        at += 10
        try byte(separator)
        try decimal(UInt64(sod / 3600), width: 2)
        try byte(0x3A)
        try decimal(UInt64(sod / 60 % 60), width: 2)
        try byte(0x3A)
        try decimal(UInt64(sod % 60), width: 2)
        if p > 0 {
            try byte(fractionSeparator)
            try decimal(UInt64(frac / unit), width: p)
        }
    }
}
