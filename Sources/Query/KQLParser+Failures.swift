/// What the parser expected at the furthest position it failed, for the error message.
///
/// Like Kibana's generated parser, only failures at the furthest position count; a failure further on
/// forgets the earlier ones.
struct FailureSet {
    /// Something the grammar expected, as Kibana's error message names it.
    enum Expectation: Int, CaseIterable {
        case openParen, closeParen, openBrace, closeBrace, colon
        case lessOrEqual, greaterOrEqual, less, greater
        case and, or, not
        case fieldName, value, literal, whitespace, endOfInput

        var description: String {
            switch self {
            case .openParen: "\"(\""
            case .closeParen: "\")\""
            case .openBrace: "\"{\""
            case .closeBrace: "\"}\""
            case .colon: "\":\""
            case .lessOrEqual: "\"<=\""
            case .greaterOrEqual: "\">=\""
            case .less: "\"<\""
            case .greater: "\">\""
            case .and: "AND"
            case .or: "OR"
            case .not: "NOT"
            case .fieldName: "field name"
            case .value: "value"
            case .literal: "literal"
            case .whitespace: "whitespace"
            case .endOfInput: "end of input"
            }
        }
    }

    /// The furthest position (UTF-16 offset) at which something failed.
    private(set) var position = 0
    /// The expectations at `position`, one bit per ``Expectation`` raw value.
    private var expected: UInt32 = 0

    @inline(__always)
    mutating func record(_ at: Int, _ expectation: Expectation) {
        if at < position { return }
        if at > position {
            position = at
            expected = 0
        }
        expected |= 1 << UInt32(expectation.rawValue)
    }

    /// The expectations as Kibana lists them: unique, sorted by UTF-16 code units, comma-separated.
    var expectedList: String {
        Expectation.allCases.filter { expected & (1 << UInt32($0.rawValue)) != 0 }
            .map(\.description)
            .sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            .joined(separator: ", ")
    }
}
