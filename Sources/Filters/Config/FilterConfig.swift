/// A loaded, compiled rule set: what ``NoiseFilter`` runs.
///
/// Build it from YAML with ``load(yaml:source:)`` (see `config/default-rules.yaml` for the format), take the
/// shipped ``defaultPack``, and put the user's file in front of the defaults with ``combined(_:)``.
public struct FilterConfig: Sendable {
    /// The rules in evaluation order.
    public private(set) var rules: [NoiseRule]
    /// Names of rules (from packs combined after this one) that this file turns off (`disable:`).
    public private(set) var disabled: Set<String>
    /// `context_rescue:` as the file sets it (nil: not set); see ``rescueDepth``.
    public private(set) var contextRescue: Int?
    /// Literals of all rules, after the failure signals (ids 0..<FailureSignal.signals.count).
    private(set) var scanner: LiteralScanner

    init(rules: [NoiseRule], disabled: Set<String>, contextRescue: Int? = nil) {
        self.rules = rules
        self.disabled = disabled
        self.contextRescue = contextRescue
        self.scanner = LiteralScanner([])
        finalize()
    }

    /// Without `context_rescue:`, a failure brings back the dropped events among the 20 before it (scoring.md's K).
    public static let defaultRescueDepth = 20

    /// How many events before a failure context rescue looks at: `context_rescue`, else 20. 0 turns rescue off, so
    /// that what the rules drop before a failure stays lost (and counts against T2, context retained).
    public var rescueDepth: Int { contextRescue ?? Self.defaultRescueDepth }

    /// An empty configuration: the filter keeps everything (and still classifies failures).
    public static let empty = FilterConfig(rules: [], disabled: [])

    /// Parses and compiles a rule file; `source` names it in error messages.
    public static func load(yaml: String, source: String) throws(FilterConfigError) -> FilterConfig {
        var loader = RuleFileLoader(yaml: yaml, source: source)
        let loaded = try loader.load()
        return FilterConfig(rules: loaded.rules, disabled: loaded.disabled, contextRescue: loaded.contextRescue)
    }

    /// Reads and loads a rule file.
    public static func load(path: String) throws(FilterConfigError) -> FilterConfig {
        guard let text = readTextFile(path) else {
            throw FilterConfigError(source: path, line: 0, column: 0, message: "cannot read the rule file",
                                    help: "check the path given with --config or LOGSIFT_CONFIG")
        }
        return try load(yaml: text, source: path)
    }

    /// The shipped rules, from the copy of `config/default-rules.yaml` compiled into the binary.
    public static let defaultPack: FilterConfig = {
        do { return try load(yaml: DefaultPack.yaml, source: "default-rules.yaml") } catch {
            preconditionFailure("BUG: the embedded default pack does not load: \(error)")
        }
    }()

    /// The rules of several files in order (a user's file first, so its `keep` exceptions win), without the
    /// rules that any file names under `disable:`; the first file that sets `context_rescue` decides it.
    public static func combined(_ configs: [FilterConfig]) -> FilterConfig {
        let off = configs.reduce(into: Set<String>()) { $0.formUnion($1.disabled) }
        let rules = configs.flatMap(\.rules).filter { !off.contains($0.name) }
        return FilterConfig(rules: rules, disabled: off, contextRescue: configs.lazy.compactMap(\.contextRescue).first)
    }

    /// Assigns literal ids in one shared scanner: failure signals first, then every rule's literals.
    private mutating func finalize() {
        var lits = FailureSignal.signals.map(\.0)
        var ids: [Literal: Int] = [:]
        for (k, l) in lits.enumerated() where ids[l] == nil { ids[l] = k }
        func intern(_ l: Literal) -> Int {
            if let id = ids[l] { return id }
            ids[l] = lits.count
            lits.append(l)
            return lits.count - 1
        }
        for r in rules.indices {
            var m = rules[r].match
            m.contains = m.containsLiterals.map(intern)
            m.containsAll = m.containsAllLiterals.map(intern)
            m.notContains = m.notContainsLiterals.map(intern)
            m.required = m.requiredLiterals.map { $0.map(intern) }
            rules[r].match = m
        }
        scanner = LiteralScanner(lits)
    }
}

/// The text of a config file, or the error that says it cannot be read.
func readConfigFile(_ path: String) throws(FilterConfigError) -> String {
    guard let text = readTextFile(path) else {
        throw FilterConfigError(source: path, line: 0, column: 0, message: "cannot read the config file", help: "check the path given with --config or LOGSIFT_CONFIG")
    }
    return text
}

/// Reads a whole file as UTF-8 without Foundation.
func readTextFile(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, f) }
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
