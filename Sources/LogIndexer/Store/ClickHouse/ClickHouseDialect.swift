/// What a ClickHouse server version lets logsift use. `SELECT version()` decides when a store is opened.
///
/// - `v18`: Debian's 18.16 (what the tests run): no column codecs, no data-skipping indexes; a word is found
///   with `positionCaseInsensitive(text, 'word') > 0` over every row the time and label conditions leave.
/// - `current` (20.1 and later): the text column compressed with `CODEC(ZSTD(3))` and an n-gram Bloom filter
///   index over `lower(text)`, which lets the server skip granules without the word; a word is found with
///   `lower(text) LIKE '%word%'`, the condition that index serves. Both match the same rows (ASCII letters
///   compared without case, other bytes as they are), so the exact predicate sees the same superset.
public enum ClickHouseDialect: String, Sendable, CaseIterable {
    case v18
    case current

    /// The dialect of a `version()` answer such as `18.16.1` or `25.8.2.29`.
    public init(version: String) {
        let major = Int(version.prefix { $0.isNumber }) ?? 0
        self = major >= 20 ? .current : .v18
    }

    /// The `events` table's text column (and, on current servers, its index).
    var textColumn: String {
        switch self {
        case .v18: "text String"
        case .current: "text String CODEC(ZSTD(3)), INDEX text_ngrams lower(text) TYPE ngrambf_v1(4, 65536, 3, 0) GRANULARITY 1"
        }
    }

    /// A condition true for every row whose `column` holds `needle` without regard to ASCII case.
    func contains(_ column: String, _ needle: String) -> String {
        switch self {
        case .current where column == "text":
            var pattern = "%"
            for c in needle.lowercasedASCII {
                if c == "%" || c == "_" || c == "\\" { pattern.append("\\") }
                pattern.append(c)
            }
            return "lower(text) LIKE \(ClickHouseSQL.quote(pattern + "%"))"
        default:
            return "positionCaseInsensitive(\(column), \(ClickHouseSQL.quote(needle))) > 0"
        }
    }
}

extension String {
    /// A-Z lowered, every other byte kept (ClickHouse's `lower` does the same).
    var lowercasedASCII: String {
        String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
