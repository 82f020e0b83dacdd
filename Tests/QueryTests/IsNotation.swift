import Query
import Foundation

/// Reads the corpus's `is(field, value)` notation and names the kind of node a query becomes, so that
/// Kibana's Elasticsearch translations can be checked for the part that does not need a mapping.
enum IsNotation {
    /// `is('extension','"jpg"')` as the query `extension:"jpg"`; `is(null, 200)` as `200`.
    static func query(_ notation: String) -> String? {
        guard let open = notation.range(of: "is(") else { return nil }
        var arguments: [String?] = []
        var current = ""
        var quoted = false
        loop: for character in notation[open.upperBound...] {
            switch character {
            case "'": quoted.toggle()
            case "," where !quoted, ")" where !quoted:
                let argument = current.trimmingCharacters(in: .whitespaces)
                arguments.append(argument == "null" ? nil : argument)
                current = ""
                if character == ")" { break loop }
            default: current.append(character)
            }
        }
        guard arguments.count == 2, let value = arguments[1] else { return nil }
        if let field = arguments[0] { return field + ":" + value }
        return value
    }

    /// What Kibana turns each kind of `is` node into, independent of the field's mapping.
    static func kind(of node: QueryNode) -> String {
        switch node {
        case .matchAll: return "match all"
        case .exists: return "exists"
        case .is(nil, .wildcard): return "free-text wildcard"
        case .is(nil, _): return "free-text term"
        case .is(let field?, let value):
            if field.pattern.isLoneWildcard { return "all fields" }
            switch value {
            case .wildcard: return "field wildcard"
            case .phrase: return "field phrase"
            case .literal: return field.isWildcard ? "wildcard-field term" : "field term"
            }
        default: return "other"
        }
    }

    /// The kinds consistent with Kibana's Elasticsearch query `es`.
    static func allowedKinds(for es: JSON?) -> Set<String> {
        switch es {
        case .string(let text)? where text.contains("one sub-query per field"):
            return ["all fields"]
        case .object(let object)?:
            if object["match_all"] != nil { return ["match all"] }
            if object["multi_match"] != nil { return ["free-text term"] }
            if object["query_string"] != nil { return ["free-text wildcard"] }
            guard case .object(let bool)? = object["bool"], case .array(let should)? = bool["should"],
                  case .object(let first)? = should.first, let key = first.keys.first
            else { return [] }
            switch key {
            case "exists": return ["exists"]
            case "match": return ["field term", "wildcard-field term"]
            case "term": return ["field term"]
            case "match_phrase": return ["field phrase"]
            case "query_string", "wildcard": return ["field wildcard"]
            case "range": return ["field phrase"]  // equality on a date field, written as a quoted date
            default: return []
            }
        default:
            return []
        }
    }

    /// The trees the documented examples parse to.
    static let documented: [String: QueryNode] = [
        "http.request.method: *": .exists(field: "http.request.method"),
        "http.request.method: GET": match("http.request.method", "GET"),
        "Hello": text("Hello"),
        "http.response.body.content.text:\"quick brown fox\"": phrase("http.response.body.content.text", "quick brown fox"),
        "http.response.body.content.text:quick brown fox": match("http.response.body.content.text", "quick brown fox"),
        "http.response.status_code:400 401 404": match("http.response.status_code", "400 401 404"),
        "response:200 or extension:php": .or([match("response", "200"), match("extension", "php")]),
        "account_number >= 100 and items_sold <= 200": .and([
            .range(field: "account_number", op: .gte, value: .literal("100")),
            .range(field: "items_sold", op: .lte, value: .literal("200")),
        ]),
        "machine.os:win*": wildcard("machine.os", "win*"),
    ]
}
