import LogCore

/// A rule file that cannot be used: where (file, line, column), what is wrong, and what to do.
public struct FilterConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name (or another name given to ``FilterConfig/load(yaml:source:)``).
    public var source: String
    /// 1-based; 0 when the problem is not at one place.
    public var line: Int
    public var column: Int
    public var message: String
    public var help: String
    /// The offending line of the file, shown with a caret under `column`.
    public var snippet: String

    public init(source: String, line: Int, column: Int, message: String, help: String, snippet: String = "") {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        self.help = help
        self.snippet = snippet
    }

    public var description: String {
        Diagnostic.render(source: source, line: line, column: column, message: message, help: help, snippet: snippet)
    }
}
