import LogCore

/// A rule's `match:` and `scope:`, compiled. Every condition that is set must hold (AND); a list inside one
/// condition is a set of alternatives (OR). Label conditions depend only on the stream and are checked once
/// per stream; literals are found by the configuration's shared ``LiteralScanner``.
struct RuleMatch: Sendable {
    /// Bit `level.rawValue` set for each level the rule applies to.
    var levelMask: UInt8 = 0
    var labels: [(name: String, globs: [Glob])] = []
    var contains: [Int] = []
    var containsAll: [Int] = []
    var notContains: [Int] = []
    var startsWith: [Literal] = []
    var globs: [Glob] = []
    var regexes: [ByteRegex] = []
    var methods: [Literal] = []
    var paths: [Glob] = []
    var statuses: [ClosedRange<Int>] = []
    var userAgents: [Glob] = []
    var templates: [TemplateRef] = []
    /// Groups of literal ids; each group must have a hit (derived from globs, regexes, paths, agents).
    var required: [[Int]] = []
    // The literals behind the ids above; `FilterConfig` assigns the ids in its shared scanner.
    var containsLiterals: [Literal] = []
    var containsAllLiterals: [Literal] = []
    var notContainsLiterals: [Literal] = []
    var requiredLiterals: [[Literal]] = []

    enum TemplateRef: Sendable, Equatable {
        case id(TemplateID)
        case tokens([UInt64])
    }

    var needsHTTP: Bool { !methods.isEmpty || !paths.isEmpty || !statuses.isEmpty || !userAgents.isEmpty }
    var needsTemplate: Bool { !templates.isEmpty }

    func labelsMatch(_ l: StreamLabels) -> Bool {
        for (name, globs) in labels {
            let v = l[label: name] ?? ""
            if !globs.contains(where: { $0.matches(v) }) { return false }
        }
        return true
    }

    /// The checks that need the event's text, cheapest first. `http` is parsed on demand and kept by the
    /// caller for the other rules; `template` is computed on demand by the caller-provided closure.
    @inline(__always)
    func textMatches(_ t: UnsafeBufferPointer<UInt8>, hits: UnsafeMutablePointer<UInt64>,
                     http: inout AccessLogFields, template: () -> (TemplateID?, [UInt64]), skipRegex: Bool = false) -> Bool {
        for group in required where !group.contains(where: { hitTest(hits, $0) }) { return false }
        if !contains.isEmpty, !contains.contains(where: { hitTest(hits, $0) }) { return false }
        for id in containsAll where !hitTest(hits, id) { return false }
        for id in notContains where hitTest(hits, id) { return false }
        if !startsWith.isEmpty, !startsWith.contains(where: { $0.hasPrefix(of: t) }) { return false }
        if !statuses.isEmpty {
            guard let s = http.status(in: t), statuses.contains(where: { $0.contains(s) }) else { return false }
        }
        if !methods.isEmpty {
            guard let r = http.method(in: t), methods.contains(where: { $0.bytes.count == r.count && $0.occurs(in: t, at: r.lowerBound) }) else { return false }
        }
        if !paths.isEmpty {
            guard let r = http.path(in: t), paths.contains(where: { $0.matches(UnsafeBufferPointer(rebasing: t[r])) }) else { return false }
        }
        if !userAgents.isEmpty {
            guard let r = http.userAgent(in: t), userAgents.contains(where: { $0.matches(UnsafeBufferPointer(rebasing: t[r])) }) else { return false }
        }
        if !globs.isEmpty, !globs.contains(where: { $0.matches(t) }) { return false }
        if !templates.isEmpty {
            let (id, tokens) = template()
            let ok = templates.contains { ref in
                switch ref {
                case .id(let want): return id == want
                case .tokens(let want):
                    guard want.count == tokens.count else { return false }
                    for k in 0..<want.count where want[k] != TokenMasking.wildcard && want[k] != tokens[k] { return false }
                    return true
                }
            }
            if !ok { return false }
        }
        if !skipRegex, !regexes.isEmpty, !regexes.contains(where: { $0.matches(t) }) { return false }
        return true
    }
}
