import Foundation
import Query

/// Kibana's KQL test vectors from `../shared/corpus/kibana-kql/kql_cases.json`, and the translation of
/// Kibana's AST notation into ``QueryNode``.
enum KibanaCorpus {
    static let relativePath = "corpus/kibana-kql/kql_cases.json"

    /// `$LOGSIFT_SHARED`, else `<repo>/../shared` with the repository three levels above this file.
    static var url: URL {
        if let shared = ProcessInfo.processInfo.environment["LOGSIFT_SHARED"], !shared.isEmpty {
            return URL(fileURLWithPath: shared).appendingPathComponent(relativePath)
        }
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // QueryTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
        return repository.appendingPathComponent("../shared").appendingPathComponent(relativePath).standardizedFileURL
    }

    /// The cases, or nil (after printing a SKIPPED line once) when the file is missing or unreadable.
    static let cases: [String: JSON]? = {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            print("SKIPPED: ../shared/corpus/kibana-kql/kql_cases.json not found (looked at \(url.path); set LOGSIFT_SHARED to the shared directory)")
            return nil
        }
        do {
            guard case .object(let object) = try JSONDecoder().decode(JSON.self, from: data) else { return nil }
            return object
        } catch {
            print("SKIPPED: ../shared/corpus/kibana-kql/kql_cases.json is not valid JSON: \(error)")
            return nil
        }
    }()

    static var isAvailable: Bool { cases != nil }

    /// The entries of one category.
    static func category(_ name: String) -> [[String: JSON]] {
        guard case .array(let entries)? = cases?[name] else { return [] }
        return entries.compactMap { if case .object(let object) = $0 { object } else { nil } }
    }

    /// Prints and returns the tally line for a category.
    @discardableResult
    static func report(_ category: String, passed: Int, total: Int, skipped: [String] = []) -> String {
        var line = "Kibana KQL conformance: \(category): \(passed)/\(total) passed"
        if !skipped.isEmpty { line += "; skipped: " + skipped.joined(separator: "; ") }
        print(line)
        return line
    }

    struct ConversionError: Error, CustomStringConvertible {
        let description: String
    }

    // MARK: Kibana AST notation -> QueryNode

    /// `{"fn": "is" | "and" | "or" | "not" | "range" | "exists" | "nested", ...}` as Kibana builds it with
    /// `nodeTypes.function.buildNode`: string field names and values go through `fromLiteralExpression`.
    static func node(_ json: JSON?) throws -> QueryNode {
        guard case .object(let object)? = json, case .string(let function)? = object["fn"] else {
            throw ConversionError(description: "not a function node: \(String(describing: json))")
        }
        switch function {
        case "is":
            let field = try object["field"].flatMap { $0 == .null ? nil : try fieldName($0) }
            var value = try self.value(object["value"])
            if object["phrase"] == .bool(true) { value = .phrase(value.text) }
            if let field, value.isLoneWildcard {
                return field.pattern.isLoneWildcard ? .matchAll : .exists(field: field)
            }
            return .is(field: field, value: value)
        case "and", "or":
            guard case .array(let args)? = object["args"] else { throw ConversionError(description: "no args in \(object)") }
            let children = try args.map { try node($0) }
            return function == "and" ? .and(children) : .or(children)
        case "not":
            return .not(try node(object["arg"]))
        case "range":
            guard case .string(let name)? = object["op"], let op = RangeOp(rawValue: name) else {
                throw ConversionError(description: "bad range operator in \(object)")
            }
            // Kibana's range builder keeps the value as a plain literal.
            return .range(field: try fieldName(object["field"]), op: op, value: .literal(try plainText(object["value"])))
        case "exists":
            // Kibana's exists builder keeps the name as a plain literal.
            return .exists(field: FieldName(try plainText(object["field"])))
        case "nested":
            return .nested(path: try fieldName(object["path"]), query: try node(object["query"]))
        default:
            throw ConversionError(description: "unknown function \(function)")
        }
    }

    /// A field: a string read as a KQL literal, or `{"wildcard": glob}`.
    static func fieldName(_ json: JSON?) throws -> FieldName {
        switch try value(json) {
        case .phrase(let text): FieldName(text, quoted: true)
        case .literal(let text): FieldName(text)
        case .wildcard(let pattern): FieldName(pattern: pattern)
        }
    }

    /// A value: a string read as a KQL literal, a number, or `{"wildcard": glob}`.
    static func value(_ json: JSON?) throws -> QueryValue {
        switch json {
        case .object(let object)?:
            guard case .string(let glob)? = object["wildcard"] else { break }
            return .wildcard(WildcardPattern(glob: glob))
        case .string(let string)?:
            return try KQL.parseLiteral(string)
        default:
            break
        }
        return .literal(try plainText(json))
    }

    /// A JSON string, number or boolean as the text JavaScript would make of it.
    static func plainText(_ json: JSON?) throws -> String {
        switch json {
        case .string(let string)?: return string
        case .bool(let bool)?: return bool ? "true" : "false"
        case .number(let number)?:
            if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        default: throw ConversionError(description: "not a scalar: \(String(describing: json))")
        }
    }

    /// `{"type": "literal" | "wildcard", "value": ...}`, or `{"value": ...}` for a quoted string.
    static func literalNode(_ json: JSON?) throws -> QueryValue {
        guard case .object(let object)? = json, let raw = object["value"] else {
            throw ConversionError(description: "not a literal node: \(String(describing: json))")
        }
        switch object["type"] {
        case .string("wildcard")?: return .wildcard(WildcardPattern(glob: try plainText(raw)))
        case .string("literal")?: return .literal(try plainText(raw))
        case nil: return .phrase(try plainText(raw))
        case let other?: throw ConversionError(description: "unknown node type \(other)")
        }
    }
}

/// Any JSON value.
enum JSON: Hashable, Sendable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSON].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSON].self))
        }
    }

    /// The string, when this is one.
    var string: String? { if case .string(let string) = self { string } else { nil } }
}
