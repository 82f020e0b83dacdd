/// A query that KQL cannot read.
///
/// ``description`` is Kibana's message: what was expected and what was found, the query, and a caret
/// under the offending position, e.g.
///
/// ```
/// Expected "(", "{", value, whitespace but end of input found.
/// response:
/// ---------^
/// ```
public struct QuerySyntaxError: Error, Hashable, Sendable {
    /// What kind of error this is; compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case unexpectedInput, queryTooLong, nestingTooDeep
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The text does not follow the KQL grammar.
        public static let unexpectedInput = Code(.unexpectedInput)
        /// The query is longer than ``KQL/maxQueryBytes``.
        public static let queryTooLong = Code(.queryTooLong)
        /// Parentheses or braces nest deeper than ``KQL/maxNestingDepth``.
        public static let nestingTooDeep = Code(.nestingTooDeep)

        public var description: String {
            switch base {
            case .unexpectedInput: "unexpected input"
            case .queryTooLong: "query too long"
            case .nestingTooDeep: "nesting too deep"
            }
        }
    }

    /// What kind of error this is.
    public let code: Code
    /// One line saying what was wrong, e.g. `Expected AND, OR, end of input but ":" found.`
    public let message: String
    /// The query as given.
    public let query: String
    /// Where the error is, in UTF-16 code units from the start of ``query`` (Kibana's
    /// `location.start.offset`); the caret line has this many dashes.
    public let column: Int

    /// An error of `code` at `column` of `query`.
    public init(code: Code, message: String, query: String, column: Int) {
        self.code = code
        self.message = message
        self.query = query
        self.column = column
    }
}

extension QuerySyntaxError: CustomStringConvertible {
    /// The message, the query and a caret line under ``column``. A query too long to show is left out.
    public var description: String {
        if code == .queryTooLong { return message }
        return message + "\n" + query + "\n" + String(repeating: "-", count: column) + "^"
    }
}
