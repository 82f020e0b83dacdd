/// Whitespace, keywords and literals: the rules Kibana's grammar matches character by character.
extension KQLParser {
    /// The code unit at `position`, or 0 past the end.
    @inline(__always)
    func unit(_ position: Int) -> UInt16 {
        position < input.count ? input[position] : 0
    }

    // MARK: Whitespace

    /// Tries the grammar's `Space` rule at `position` and says whether it matched.
    ///
    /// Kibana's parser caches each rule's result per position, so only the first try at a position can
    /// report "whitespace" as expected there, and a try inside a named rule (`AND`, `OR`, `NOT`, or the
    /// keyword lookahead in literals) reports nothing. Remembering the first try reproduces that.
    @inline(__always)
    mutating func space(_ position: Int, silent: Bool) -> Bool {
        let matched = position < input.count && Self.isSpace(input[position])
        if !spaceTried[position] {
            spaceTried[position] = true
            if !matched && !silent { failure.record(position, .whitespace) }
        }
        return matched
    }

    /// `Space*`: the position after the whitespace at `start`.
    mutating func spaces(_ start: Int) -> Int {
        var position = start
        while space(position, silent: false) { position += 1 }
        return position
    }

    /// `Space+` inside a named rule: the position after the whitespace, or nil when there is none.
    private mutating func silentSpaces(_ start: Int) -> Int? {
        var position = start
        while space(position, silent: true) { position += 1 }
        return position > start ? position : nil
    }

    /// The grammar's `Space`: space, tab, CR, LF and no-break space.
    @inline(__always)
    static func isSpace(_ unit: UInt16) -> Bool {
        unit == 0x20 || unit == 0x09 || unit == 0x0D || unit == 0x0A || unit == 0xA0
    }

    // MARK: Keywords

    /// `Space+ or Space+` (rule `OR`) or `Space+ and Space+` (rule `AND`): the position after it.
    mutating func binaryKeyword(_ start: Int, _ keyword: Keyword) -> Int? {
        if let word = silentSpaces(start), matches(keyword, at: word), let end = silentSpaces(word + keyword.length) {
            return end
        }
        failure.record(start, keyword == .or ? .or : .and)
        return nil
    }

    /// `not Space+` (rule `NOT`): the position after it.
    mutating func notKeyword(_ start: Int) -> Int? {
        if matches(.not, at: start), let end = silentSpaces(start + 3) { return end }
        failure.record(start, .not)
        return nil
    }

    /// The lookahead that ends an unquoted literal: ` or `, ` and `, or `not` followed by whitespace.
    private mutating func keywordAhead(_ position: Int) -> Bool {
        if space(position, silent: true) {
            if matches(.or, at: position + 1), space(position + 3, silent: true) { return true }
            if matches(.and, at: position + 1), space(position + 4, silent: true) { return true }
        }
        return matches(.not, at: position) && space(position + 3, silent: true)
    }

    /// Whether `keyword` is at `position`, in any case.
    @inline(__always)
    func matches(_ keyword: Keyword, at position: Int) -> Bool {
        switch keyword {
        case .or:
            position + 2 <= input.count && input[position] | 0x20 == 0x6F && input[position + 1] | 0x20 == 0x72
        case .and:
            position + 3 <= input.count && input[position] | 0x20 == 0x61 && input[position + 1] | 0x20 == 0x6E
                && input[position + 2] | 0x20 == 0x64
        case .not:
            position + 3 <= input.count && input[position] | 0x20 == 0x6E && input[position + 1] | 0x20 == 0x6F
                && input[position + 2] | 0x20 == 0x74
        }
    }

    // MARK: Literals

    /// The `Field` rule (described as "field name").
    mutating func field(_ start: Int) -> Match<FieldName>? {
        guard let match = scanLiteral(start) else {
            failure.record(start, .fieldName)
            return nil
        }
        let name: FieldName = switch match.value {
        case .phrase(let text): FieldName(text, quoted: true)
        case .literal(let text): FieldName(text)
        case .wildcard(let pattern): FieldName(pattern: pattern)
        }
        return Match(value: name, end: match.end)
    }

    /// The `Value` rule.
    mutating func value(_ start: Int) -> Match<QueryValue>? {
        guard let match = scanLiteral(start) else {
            failure.record(start, .value)
            return nil
        }
        return match
    }

    /// The `Literal` rule (range values and ``KQL/parseLiteral(_:)``).
    mutating func literal(_ start: Int) -> Match<QueryValue>? {
        guard let match = scanLiteral(start) else {
            failure.record(start, .literal)
            return nil
        }
        return match
    }

    /// `QuotedString / UnquotedLiteral`, remembered for the next call at the same position.
    private mutating func scanLiteral(_ start: Int) -> Match<QueryValue>? {
        if literalCache.start == start { return literalCache.match }
        let match = quotedString(start) ?? unquotedLiteral(start)
        literalCache = (start, match)
        return match
    }

    /// `"..."`: only `\\`, `\"`, `\t`, `\r`, `\n` and `\uXXXX` are escapes; anything else is itself.
    private mutating func quotedString(_ start: Int) -> Match<QueryValue>? {
        guard unit(start) == .quote else { return nil }
        scratch.removeAll(keepingCapacity: true)
        var position = start + 1
        while position < input.count {
            let current = input[position]
            if current == .quote {
                return Match(value: .phrase(Self.string(scratch[...])), end: position + 1)
            }
            if current == .backslash, position + 1 < input.count {
                let next = input[position + 1]
                if let whitespace = Self.escapedWhitespace(next) {
                    scratch.append(whitespace)
                    position += 2
                    continue
                }
                if let decoded = unicodeEscape(position) {
                    scratch.append(decoded)
                    position += 6
                    continue
                }
                if next == .backslash || next == .quote {
                    scratch.append(next)
                    position += 2
                    continue
                }
            }
            scratch.append(current)
            position += 1
        }
        return nil
    }

    /// One or more unquoted characters, trimmed; `*` is a wildcard unless escaped.
    private mutating func unquotedLiteral(_ start: Int) -> Match<QueryValue>? {
        scratch.removeAll(keepingCapacity: true)
        var wildcards: [Int] = []  // offsets into `scratch` before which a wildcard stands
        var position = start
        while true {
            guard position < input.count else {
                _ = keywordAhead(position)  // the grammar tries it at the end too (it may mark a space as tried)
                break
            }
            let current = input[position]
            if current == .backslash {
                guard let length = unquotedEscape(position) else { break }
                position += length
                continue
            }
            if current == .star {
                wildcards.append(scratch.count)
                position += 1
                continue
            }
            if Self.isSpecial(current) || keywordAhead(position) { break }
            scratch.append(current)
            position += 1
        }
        guard position > start else { return nil }
        // JavaScript's `trim` on the joined text; wildcards are not whitespace.
        var lower = scratch.firstIndex { !Self.isJavaScriptWhitespace($0) } ?? scratch.count
        var upper = (scratch.lastIndex { !Self.isJavaScriptWhitespace($0) } ?? -1) + 1
        if let first = wildcards.first, let last = wildcards.last {
            lower = min(lower, first)
            upper = max(upper, last)
        }
        guard !wildcards.isEmpty else {
            return Match(value: .literal(upper > lower ? Self.string(scratch[lower..<upper]) : ""), end: position)
        }
        var parts: [WildcardPattern.Part] = []
        var segmentStart = lower
        for offset in wildcards {
            if offset > segmentStart { parts.append(.text(Self.string(scratch[segmentStart..<offset]))) }
            parts.append(.wildcard)
            segmentStart = offset
        }
        if upper > segmentStart { parts.append(.text(Self.string(scratch[segmentStart..<upper]))) }
        return Match(value: .wildcard(WildcardPattern(parts: parts)), end: position)
    }

    /// A string from UTF-16, without transcoding when it is ASCII.
    private static func string(_ units: ArraySlice<UInt16>) -> String {
        guard units.allSatisfy({ $0 < 0x80 }) else { return String(decoding: units, as: UTF16.self) }
        return String(unsafeUninitializedCapacity: units.count) { buffer in
            var index = 0
            for unit in units {
                buffer[index] = UInt8(truncatingIfNeeded: unit)
                index += 1
            }
            return index
        }
    }

    /// An escape in an unquoted literal at `position` (a backslash): appends what it stands for to
    /// `scratch` and returns its length. Tried in the grammar's order, so `\not` is a line break and `ot`.
    private mutating func unquotedEscape(_ position: Int) -> Int? {
        guard position + 1 < input.count else { return nil }
        let next = input[position + 1]
        if let whitespace = Self.escapedWhitespace(next) {
            scratch.append(whitespace)
            return 2
        }
        if Self.isSpecial(next) {
            scratch.append(next)
            return 2
        }
        if let decoded = unicodeEscape(position) {
            scratch.append(decoded)
            return 6
        }
        for keyword in [Keyword.or, .and, .not] where matches(keyword, at: position + 1) {
            let length = keyword.length
            scratch.append(contentsOf: input[(position + 1)...(position + length)])
            return length + 1
        }
        return nil
    }

    /// `\t`, `\r`, `\n` after a backslash.
    private static func escapedWhitespace(_ letter: UInt16) -> UInt16? {
        switch letter {
        case 0x74: 0x09  // t
        case 0x72: 0x0D  // r
        case 0x6E: 0x0A  // n
        default: nil
        }
    }

    /// `\uXXXX` at `position`: the code unit it stands for.
    private func unicodeEscape(_ position: Int) -> UInt16? {
        guard unit(position + 1) == 0x75, position + 6 <= input.count else { return nil }  // u
        var value: UInt16 = 0
        for offset in 2..<6 {
            let digit = input[position + offset]
            let nibble: UInt16
            switch digit {
            case 0x30...0x39: nibble = digit - 0x30
            case 0x41...0x46: nibble = digit - 0x41 + 10
            case 0x61...0x66: nibble = digit - 0x61 + 10
            default: return nil
            }
            value = value << 4 | nibble
        }
        return value
    }

    /// The grammar's `SpecialCharacter`: `\ ( ) : < > " * { }`.
    @inline(__always)
    static func isSpecial(_ unit: UInt16) -> Bool {
        switch unit {
        case .backslash, .openParen, .closeParen, .colon, .lessThan, .greaterThan, .quote, .star, .openBrace, .closeBrace:
            true
        default:
            false
        }
    }

    /// ECMAScript `WhiteSpace` and `LineTerminator`.
    static func isJavaScriptWhitespace(_ unit: UInt16) -> Bool {
        switch unit {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }
}

/// The keywords.
enum Keyword {
    case or, and, not

    /// The number of letters.
    var length: Int { self == .or ? 2 : 3 }
}

extension UInt16 {
    static let backslash: UInt16 = 0x5C
    static let openParen: UInt16 = 0x28
    static let closeParen: UInt16 = 0x29
    static let colon: UInt16 = 0x3A
    static let lessThan: UInt16 = 0x3C
    static let greaterThan: UInt16 = 0x3E
    static let equals: UInt16 = 0x3D
    static let quote: UInt16 = 0x22
    static let star: UInt16 = 0x2A
    static let openBrace: UInt16 = 0x7B
    static let closeBrace: UInt16 = 0x7D
}
