import LogCore
import Yams

/// `retention:` in the config file: how long and how much `compact` (and `serve`) keep.
///
///     retention:
///       max_age: 30d      # drop day partitions whose newest event is older
///       max_size: 20GB    # then drop the oldest days while stored events take more
public struct RetentionSettings: Sendable, Equatable {
    public var maxAgeNs: Int64?
    public var maxBytes: Int64?

    public init(maxAgeNs: Int64? = nil, maxBytes: Int64? = nil) {
        self.maxAgeNs = maxAgeNs
        self.maxBytes = maxBytes
    }

    /// `500MB`, `20GB`, `1TB` (powers of 1000), `512MiB`, `2GiB` (powers of 1024), or plain bytes.
    public static func size(_ s: String) -> Int64? {
        let units: [(String, Int64)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
                                        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000), ("B", 1)]
        for (suffix, scale) in units where s.hasSuffix(suffix) {
            guard let v = Double(s.dropLast(suffix.count)), v >= 0, v * Double(scale) < 9e18 else { return nil }
            return Int64(v * Double(scale))
        }
        return Int64(s).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// The `retention:` settings of a config file (none when it has no such key).
    public static func load(yaml: String, source: String) throws(FilterConfigError) -> RetentionSettings {
        func fail(_ message: String, _ help: String) -> FilterConfigError {
            FilterConfigError(source: source, line: 0, column: 0, message: message, help: help)
        }
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch { throw fail("invalid YAML: \(error)", "fix the YAML syntax") }
        guard let r = node?.mapping?["retention"] else { return RetentionSettings() }
        guard let map = r.mapping else { throw fail("`retention` must be a mapping", "write max_age: 30d and/or max_size: 20GB under it") }
        var out = RetentionSettings()
        for (k, v) in map {
            let key = k.string ?? ""
            let value = v.string ?? ""
            switch key {
            case "max_age":
                guard let d = Timestamp.duration(value), d > 0 else { throw fail("retention.max_age '\(value)' is not a duration", "use e.g. 7d, 30d, 12w") }
                out.maxAgeNs = d
            case "max_size":
                guard let b = size(value), b > 0 else { throw fail("retention.max_size '\(value)' is not a size", "use e.g. 500MB, 20GB, 2GiB") }
                out.maxBytes = b
            default:
                throw fail("unknown key retention.\(key)", "retention takes max_age and max_size")
            }
        }
        return out
    }

    public static func load(path: String) throws(FilterConfigError) -> RetentionSettings {
        try load(yaml: try readConfigFile(path), source: path)
    }
}
