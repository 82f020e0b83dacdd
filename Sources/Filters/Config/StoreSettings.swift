import Yams

/// `store:` in the config file: where events live when it is not the data directory.
///
///     store:
///       url: clickhouse://logsift@ch1:8123,ch2:8123/logs?cluster=logs
///       password_file: /run/secrets/clickhouse    # or password: ..., or $LOGSIFT_STORE_PASSWORD
///
/// `--store` and `$LOGSIFT_STORE` take precedence over the file.
public struct StoreSettings: Sendable, Equatable {
    public var url: String?
    public var password: String?

    public init(url: String? = nil, password: String? = nil) {
        self.url = url
        self.password = password
    }

    /// The `store:` settings of a config file (none when it has no such key).
    public static func load(yaml: String, source: String) throws(FilterConfigError) -> StoreSettings {
        func fail(_ message: String, _ help: String) -> FilterConfigError {
            FilterConfigError(source: source, line: 0, column: 0, message: message, help: help)
        }
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch { throw fail("invalid YAML: \(error)", "fix the YAML syntax") }
        guard let s = node?.mapping?["store"] else { return StoreSettings() }
        if let url = s.string { return StoreSettings(url: url) }
        guard let map = s.mapping else { throw fail("`store` must be a URL or a mapping", "write url: clickhouse://user@host:8123/db under it") }
        var out = StoreSettings()
        for (k, v) in map {
            let key = k.string ?? "", value = v.string ?? ""
            switch key {
            case "url": out.url = value
            case "password": out.password = value
            case "password_file":
                guard let text = readTextFile(value) else {
                    throw fail("cannot read store.password_file \(value)", "give a readable file holding only the password")
                }
                out.password = String(text.reversed().drop { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }.reversed())
            default:
                throw fail("unknown key store.\(key)", "store takes url, password and password_file")
            }
        }
        return out
    }

    public static func load(path: String) throws(FilterConfigError) -> StoreSettings {
        try load(yaml: try readConfigFile(path), source: path)
    }
}
