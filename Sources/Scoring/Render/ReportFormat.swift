/// The report's output formats (`--format md|html|json`).
public enum ReportFormat: String, Sendable, CaseIterable {
    case markdown = "md"
    case html
    case json

    /// The report in this format.
    public func render(_ report: WeeklyReport) -> String {
        switch self {
        case .markdown: MarkdownRenderer.render(report)
        case .html: HTMLRenderer.render(report)
        case .json: JSONRenderer.render(report)
        }
    }
}
