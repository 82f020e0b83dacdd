import LogCore

/// What the full-text index can answer for a predicate: an FTS5 expression that every matching block
/// satisfies (nil when the index cannot narrow the search), built only from our own tokens, each quoted,
/// so no query text is ever read as FTS5 syntax.
package enum IndexPlan {
    package static func ftsExpression(_ p: SearchPredicate) -> String? {
        switch p {
        case .all, .not, .exists, .range: return nil
        case .and(let xs):
            let parts = xs.compactMap(ftsExpression)
            return parts.isEmpty ? nil : parts.count == 1 ? parts[0] : parts.map { "(\($0))" }.joined(separator: " AND ")
        case .or(let xs):
            var parts: [String] = []
            for x in xs { guard let e = ftsExpression(x) else { return nil }; parts.append(e) }
            return parts.isEmpty ? nil : parts.count == 1 ? parts[0] : parts.map { "(\($0))" }.joined(separator: " OR ")
        case .match(let field, let pattern):
            if let f = field {
                switch FieldKind(f) {
                case .label, .level, .time, .template, .flag, .kind: return nil
                case .message, .structured: break
                }
            }
            switch pattern {
            case .phrase(let s):
                // Only words the index holds (stores written before it left out short terms mostly of digits hold
                // them too: asking for fewer terms finds a superset).
                let terms = Tokenizer.terms(of: s).filter { Tokenizer.isIndexedWord($0) }
                return terms.isEmpty ? nil : terms.map(indexTerm).joined(separator: " AND ")
            case .wildcard(let parts):
                // Words inside the pieces must be in the block; a word touching a star on either side is skipped
                // (the index has no suffix lookup, and a prefix may begin words it does not hold).
                // Free text and `message` find a pattern that holds separators anywhere in the text
                // (``TextMatcher/occurs(in:)``), as if it had a star at each end: `d *m` matches "killed
                // deployment", where "d" is no word. Other fields match the whole value.
                let wordLevel = parts.allSatisfy { $0.utf8.allSatisfy { Tokenizer.isTermByte[Int($0)] } }
                var floating = !wordLevel
                if let f = field, case .structured = FieldKind(f) { floating = false }
                var exprs: [String] = []
                for (i, part) in parts.enumerated() where !part.isEmpty {
                    let terms = Tokenizer.terms(of: part)
                    let leftOpen = (i > 0 || floating) && Tokenizer.isTermByte[Int(part.utf8.first!)]
                    let rightOpen = (i < parts.count - 1 || floating) && Tokenizer.isTermByte[Int(part.utf8.last!)]
                    for (k, t) in terms.enumerated() {
                        if k == 0 && leftOpen { continue }
                        // A prefix is no index term: the words it begins may be ones the index leaves out (`abc*`
                        // holds `abc12345678`, an identifier in the Bloom filters; `808*` holds `8080`, in no index).
                        if k == terms.count - 1 && rightOpen { continue }
                        if !Tokenizer.isIndexedWord(t) { continue }
                        exprs.append(indexTerm(t))
                    }
                }
                return exprs.isEmpty ? nil : exprs.joined(separator: " AND ")
            }
        }
    }

    /// Hashes of identifier-like terms that every matching event must hold (from `and` chains of phrases);
    /// blocks whose Bloom filter lacks one are skipped.
    package static func requiredIdentifiers(_ p: SearchPredicate) -> [UInt64] {
        requiredIdentifierTerms(p).map { $0.withUnsafeBufferPointer(Tokenizer.hash) }
    }

    /// The identifier-like terms behind ``requiredIdentifiers(_:)``, lower-cased and cut as the index cuts them
    /// (a term cut inside a character keeps its first bytes).
    package static func requiredIdentifierTerms(_ p: SearchPredicate) -> [[UInt8]] {
        switch p {
        case .and(let xs): return xs.flatMap(requiredIdentifierTerms)
        case .match(let field, .phrase(let s)):
            if let f = field {
                switch FieldKind(f) {
                case .label, .level, .time, .template, .flag, .kind: return []
                case .message, .structured: break
                }
            }
            var terms: [[UInt8]] = []
            var bytes = Array(s.utf8)
            bytes.withUnsafeMutableBufferPointer { b in
                Tokenizer.forEachTerm(in: UnsafeBufferPointer(b)) { t in if Tokenizer.isIdentifierLike(t) { terms.append(Array(t)) } }
            }
            return terms
        default: return []
        }
    }

    /// Free-text phrases that every matching event's text holds (from `and` chains): a cheap test on the
    /// stored bytes before the exact predicate runs.
    package static func requiredText(_ p: SearchPredicate) -> [String] {
        switch p {
        case .and(let xs): return xs.flatMap(requiredText)
        case .match(nil, .phrase(let s)) where !s.isEmpty: return [s]
        default: return []
        }
    }

    static func quote(_ term: String) -> String { "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// A term of the query as FTS5 syntax: a prefix when the index may hold it cut inside a character.
    static func indexTerm(_ term: String) -> String { quote(term) + (Tokenizer.mayBeCut(term) ? "*" : "") }

    /// Time bounds implied by top-level `time`/`@timestamp` ranges.
    package static func timeBounds(_ p: SearchPredicate) -> (from: Int64, to: Int64) {
        var from = Int64.min, to = Int64.max
        func visit(_ p: SearchPredicate) {
            switch p {
            case .and(let xs): xs.forEach(visit)
            case .range(let f, let op, let v):
                guard case .time = FieldKind(f), let t = Timestamp.parse(v) else { return }
                switch op {
                case .gt, .gte: from = max(from, t)
                case .lt, .lte: to = min(to, t)
                }
            default: break
            }
        }
        visit(p)
        return (from, to)
    }
}
