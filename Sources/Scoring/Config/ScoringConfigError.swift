import LogCore

/// A `scoring:` setting that cannot be used: where (file, line, column), which key, what is wrong, and what to do.
public struct ScoringConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name (or the name given to ``ScoringConfig/load(yaml:source:)``).
    public var source: String
    /// 1-based; 0 when the problem is not at one place.
    public var line: Int
    public var column: Int
    /// The full key, e.g. `scoring.weights.cost`.
    public var key: String
    public var message: String
    public var help: String
    /// The offending line of the file, shown with a caret under `column`.
    public var snippet: String

    /// An error at a place in the file (line 0: not at one place).
    public init(source: String, line: Int, column: Int, key: String, message: String, help: String, snippet: String = "") {
        self.source = source
        self.line = line
        self.column = column
        self.key = key
        self.message = message
        self.help = help
        self.snippet = snippet
    }

    public var description: String {
        Diagnostic.render(source: source, line: line, column: column, message: message, help: help, snippet: snippet)
    }
}
