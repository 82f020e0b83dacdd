/// The KQL grammar as a recursive-descent parser.
///
/// Each method is one rule of Kibana's PEG grammar (`grammar.peggy`), tried in the same order, so that
/// the furthest failure and the set of things expected there, hence the error message, are Kibana's.
/// The grammar's `head (Op tail)+ / head` alternatives are written as `head (Op tail)*`, which tries the
/// same things without parsing `head` twice; with the grammar's packrat cache Kibana does the same work.
/// Methods return nil when their rule does not match; only limits throw.
struct KQLParser {
    /// A rule's result and the position after it.
    struct Match<Value> {
        var value: Value
        var end: Int
    }

    /// The query as UTF-16 code units: positions and error columns are Kibana's offsets.
    let input: [UInt16]
    let text: String
    /// The failures furthest into the input, as Kibana describes them.
    var failure = FailureSet()
    /// Whether the `Space` rule has been tried at each position (see ``space(_:silent:)``).
    var spaceTried: [Bool]
    var depth = 0
    /// The last literal scanned; field, value and range rules read the same literal at one position.
    var literalCache: (start: Int, match: Match<QueryValue>?) = (-1, nil)
    /// The text of the literal being scanned, kept to reuse its storage.
    var scratch: [UInt16] = []

    init(_ text: String) throws(QuerySyntaxError) {
        let bytes = text.utf8.count
        guard bytes <= KQL.maxQueryBytes else {
            throw QuerySyntaxError(
                code: .queryTooLong,
                message: "The query is \(bytes) bytes long; the limit is \(KQL.maxQueryBytes) bytes. Shorten the query or split it.",
                query: text,
                column: 0
            )
        }
        self.text = text
        self.input = Self.utf16(text)
        self.spaceTried = Array(repeating: false, count: input.count + 1)
    }

    /// The UTF-16 of `text`, widened directly when it is ASCII.
    private static func utf16(_ text: String) -> [UInt16] {
        var copy = text
        return copy.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return Array(text.utf16) }
            return [UInt16](unsafeUninitializedCapacity: bytes.count) { buffer, count in
                for index in bytes.indices { buffer[index] = UInt16(bytes[index]) }
                count = bytes.count
            }
        }
    }

    // MARK: Entry points

    /// `start = Space* OrQuery? Space*`, then end of input.
    mutating func parseQuery() throws(QuerySyntaxError) -> QueryNode {
        var position = spaces(0)
        var node: QueryNode?
        if let match = try orQuery(position) {
            node = match.value
            position = match.end
        }
        position = spaces(position)
        guard position == input.count else {
            failure.record(position, .endOfInput)
            throw syntaxError()
        }
        return node ?? .matchAll
    }

    /// The `Literal` start rule, then end of input.
    mutating func parseLiteralOnly() throws(QuerySyntaxError) -> QueryValue {
        guard let match = literal(0) else { throw syntaxError() }
        guard match.end == input.count else {
            failure.record(match.end, .endOfInput)
            throw syntaxError()
        }
        return match.value
    }

    // MARK: Queries

    mutating func orQuery(_ start: Int) throws(QuerySyntaxError) -> Match<QueryNode>? {
        guard let head = try andQuery(start) else { return nil }
        var nodes = [head.value]
        var end = head.end
        while let next = binaryKeyword(end, .or), let match = try andQuery(next) {
            nodes.append(match.value)
            end = match.end
        }
        return Match(value: nodes.count == 1 ? head.value : .or(nodes), end: end)
    }

    mutating func andQuery(_ start: Int) throws(QuerySyntaxError) -> Match<QueryNode>? {
        guard let head = try notQuery(start) else { return nil }
        var nodes = [head.value]
        var end = head.end
        while let next = binaryKeyword(end, .and), let match = try notQuery(next) {
            nodes.append(match.value)
            end = match.end
        }
        return Match(value: nodes.count == 1 ? head.value : .and(nodes), end: end)
    }

    mutating func notQuery(_ start: Int) throws(QuerySyntaxError) -> Match<QueryNode>? {
        if let next = notKeyword(start), let match = try subQuery(next) {
            return Match(value: .not(match.value), end: match.end)
        }
        return try subQuery(start)
    }

    /// `( query )`, else a nested query or an expression.
    mutating func subQuery(_ start: Int) throws(QuerySyntaxError) -> Match<QueryNode>? {
        if unit(start) == .openParen {
            try enterGroup(at: start)
            defer { depth -= 1 }
            if let match = try orQuery(spaces(start + 1)) {
                let close = spaces(match.end)
                if unit(close) == .closeParen { return Match(value: match.value, end: close + 1) }
                failure.record(close, .closeParen)
            }
        } else {
            failure.record(start, .openParen)
        }
        return try nestedQuery(start)
    }

    /// `path:{ query }`, else an expression.
    mutating func nestedQuery(_ start: Int) throws(QuerySyntaxError) -> Match<QueryNode>? {
        if let path = field(start) {
            let colon = spaces(path.end)
            if unit(colon) == .colon {
                let brace = spaces(colon + 1)
                if unit(brace) == .openBrace {
                    try enterGroup(at: brace)
                    defer { depth -= 1 }
                    if let match = try orQuery(spaces(brace + 1)) {
                        let close = spaces(match.end)
                        if unit(close) == .closeBrace {
                            return Match(value: .nested(path: path.value, query: match.value), end: close + 1)
                        }
                        failure.record(close, .closeBrace)
                    }
                } else {
                    failure.record(brace, .openBrace)
                }
            } else {
                failure.record(colon, .colon)
            }
        }
        return try expression(start)
    }

    /// `field op literal`, else `field:values`, else a free-text value.
    mutating func expression(_ start: Int) throws(QuerySyntaxError) -> Match<QueryNode>? {
        if let name = field(start) {
            let afterName = spaces(name.end)
            if let op = rangeOperator(afterName) {
                if let value = literal(spaces(afterName + (op == .lte || op == .gte ? 2 : 1))) {
                    return Match(value: .range(field: name.value, op: op, value: value.value), end: value.end)
                }
            }
            if unit(afterName) == .colon {
                if let values = try listOfValues(spaces(afterName + 1)) {
                    return Match(value: values.value.node(field: name.value), end: values.end)
                }
            } else {
                failure.record(afterName, .colon)
            }
        }
        if let value = value(start) {
            return Match(value: .is(field: nil, value: value.value), end: value.end)
        }
        return nil
    }

    mutating func rangeOperator(_ start: Int) -> RangeOp? {
        let first = unit(start), second = unit(start + 1)
        if first == .lessThan, second == .equals { return .lte }
        failure.record(start, .lessOrEqual)
        if first == .greaterThan, second == .equals { return .gte }
        failure.record(start, .greaterOrEqual)
        if first == .lessThan { return .lt }
        failure.record(start, .less)
        if first == .greaterThan { return .gt }
        failure.record(start, .greater)
        return nil
    }

    // MARK: Value lists (`field:(a or b and not c)`)

    /// `( values )`, else one value.
    mutating func listOfValues(_ start: Int) throws(QuerySyntaxError) -> Match<ValueList>? {
        if unit(start) == .openParen {
            try enterGroup(at: start)
            defer { depth -= 1 }
            if let match = try orListOfValues(spaces(start + 1)) {
                let close = spaces(match.end)
                if unit(close) == .closeParen { return Match(value: match.value, end: close + 1) }
                failure.record(close, .closeParen)
            }
        } else {
            failure.record(start, .openParen)
        }
        guard let value = value(start) else { return nil }
        return Match(value: .value(value.value), end: value.end)
    }

    mutating func orListOfValues(_ start: Int) throws(QuerySyntaxError) -> Match<ValueList>? {
        guard let head = try andListOfValues(start) else { return nil }
        var lists = [head.value]
        var end = head.end
        while let next = binaryKeyword(end, .or), let match = try andListOfValues(next) {
            lists.append(match.value)
            end = match.end
        }
        return Match(value: lists.count == 1 ? head.value : .or(lists), end: end)
    }

    mutating func andListOfValues(_ start: Int) throws(QuerySyntaxError) -> Match<ValueList>? {
        guard let head = try notListOfValues(start) else { return nil }
        var lists = [head.value]
        var end = head.end
        while let next = binaryKeyword(end, .and), let match = try notListOfValues(next) {
            lists.append(match.value)
            end = match.end
        }
        return Match(value: lists.count == 1 ? head.value : .and(lists), end: end)
    }

    mutating func notListOfValues(_ start: Int) throws(QuerySyntaxError) -> Match<ValueList>? {
        if let next = notKeyword(start), let match = try listOfValues(next) {
            return Match(value: .not(match.value), end: match.end)
        }
        return try listOfValues(start)
    }

    // MARK: Limits and errors

    private mutating func enterGroup(at position: Int) throws(QuerySyntaxError) {
        guard depth < KQL.maxNestingDepth else {
            throw QuerySyntaxError(
                code: .nestingTooDeep,
                message: "Parentheses and braces nest deeper than \(KQL.maxNestingDepth) levels. Remove some grouping.",
                query: text,
                column: position
            )
        }
        depth += 1
    }

    /// Kibana's message for the furthest failure.
    func syntaxError() -> QuerySyntaxError {
        let found: String
        if failure.position < input.count {
            var end = failure.position + 1
            if UTF16.isLeadSurrogate(input[failure.position]), end < input.count, UTF16.isTrailSurrogate(input[end]) {
                end += 1
            }
            found = "\"" + String(decoding: input[failure.position..<end], as: UTF16.self) + "\""
        } else {
            found = "end of input"
        }
        return QuerySyntaxError(
            code: .unexpectedInput,
            message: "Expected \(failure.expectedList) but \(found) found.",
            query: text,
            column: failure.position
        )
    }
}

/// The right side of `field:`, a tree of values that becomes queries once the field is known.
indirect enum ValueList {
    case value(QueryValue)
    case and([ValueList])
    case or([ValueList])
    case not(ValueList)

    /// The query for `field:` this list. `field:*` is an exists test, `*:*` matches everything.
    func node(field: FieldName) -> QueryNode {
        switch self {
        case .value(let value):
            guard value.isLoneWildcard else { return .is(field: field, value: value) }
            return field.pattern.isLoneWildcard ? .matchAll : .exists(field: field)
        case .and(let lists): return .and(lists.map { $0.node(field: field) })
        case .or(let lists): return .or(lists.map { $0.node(field: field) })
        case .not(let list): return .not(list.node(field: field))
        }
    }
}
