/// The six metrics of the card (scoring.md; the paper's Figure 2), in the order reports show them.
public enum Metric: String, Codable, Sendable, CaseIterable, Comparable {
    case transparency, cost, stability, security, parallelism
    case learningCost = "learning_cost"

    /// The name a report prints.
    public var title: String {
        switch self {
        case .transparency: "Transparency"
        case .cost: "Cost"
        case .stability: "Stability"
        case .security: "Security"
        case .parallelism: "Parallelism"
        case .learningCost: "Learning cost"
        }
    }

    public static func < (a: Metric, b: Metric) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
