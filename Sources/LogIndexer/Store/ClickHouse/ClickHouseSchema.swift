import Foundation

/// The tables logsift keeps in ClickHouse, created and migrated by logsift (`logsift_schema` holds the version).
///
/// Every table carries the `batch` it came in; a batch is visible to readers once its row is in `batches`, which
/// is written last: a batch cut short by a crash stays invisible, and a retry of the same batch adds only what is
/// missing.
enum ClickHouseSchema {
    static let version: UInt32 = 5

    /// Every table logsift reads (what a cluster gets a `Distributed` table for).
    static let names = ["events", "batches", "noise_counts", "noise_rules", "failure_groups", "deploy_events", "pod_versions", "templates",
                        "tail_files", "retention_days", "template_days", "template_pods", "findings", "saved_searches"]

    /// The name a query reads `name` under: on a cluster, its `Distributed` table over every shard's.
    static func read(_ name: String, _ config: ClickHouseConfig) -> String { config.cluster == nil ? name : name + "_all" }

    /// The tables of schema 3, as `dialect`'s server takes them.
    static func tables(_ dialect: ClickHouseDialect) -> [String] {
        ["""
        CREATE TABLE IF NOT EXISTS events (
          day Date, ns Int64, batch String, seq UInt32,
          source LowCardinality(String), namespace LowCardinality(String), pod LowCardinality(String),
          container LowCardinality(String), stream LowCardinality(String), deployment LowCardinality(String),
          version LowCardinality(String), level UInt8, flags UInt16, format UInt8, template UInt64, \(dialect.textColumn)
        ) ENGINE = MergeTree PARTITION BY day ORDER BY (deployment, namespace, pod, container, stream, ns)
        """] + otherTables
    }

    static let otherTables: [String] = [
        // `days`: the batch's events per day (`2026-11-19:120,...`), so `check` can tell retention from loss.
        "CREATE TABLE IF NOT EXISTS batches (batch String, ns Int64, events UInt64, counters String, days String) ENGINE = MergeTree ORDER BY batch",
        """
        CREATE TABLE IF NOT EXISTS noise_counts (batch String, rule String, hour Int64, deployment String, kind String, events Int64,
          bytes Int64) ENGINE = MergeTree ORDER BY (rule, hour)
        """,
        """
        CREATE TABLE IF NOT EXISTS noise_rules (batch String, rule String, count Int64, first_ns Int64, last_ns Int64, example String)
          ENGINE = MergeTree ORDER BY rule
        """,
        // Schema 2: what failures and rollouts read.
        """
        CREATE TABLE IF NOT EXISTS failure_groups (batch String, deployment String, version String, template UInt64, kind String, hour Int64,
          events Int64, context_full Int64, first_ns Int64, last_ns Int64, example String, source String, namespace String, pod String,
          container String, stream String, label_deployment String, label_version String)
          ENGINE = MergeTree ORDER BY (deployment, template, kind, hour)
        """,
        """
        CREATE TABLE IF NOT EXISTS deploy_events (batch String, ns Int64, deployment String, kind String, version String, image String,
          revision String, status String, pod String, text String) ENGINE = MergeTree ORDER BY (deployment, ns)
        """,
        """
        CREATE TABLE IF NOT EXISTS pod_versions (batch String, deployment String, hash String, first_ns Int64, last_ns Int64, events Int64)
          ENGINE = MergeTree ORDER BY (deployment, hash)
        """,
        "CREATE TABLE IF NOT EXISTS templates (batch String, id UInt64, text String) ENGINE = MergeTree ORDER BY id",
        // Schema 3: where `tail` stands in each file, committed with the batch that read up to there.
        "CREATE TABLE IF NOT EXISTS tail_files (batch String, key String, device UInt64, inode UInt64, fp UInt64, fp_len UInt32, path String, "
            + "label_path String, resume Int64, skips String, skipping UInt8, done UInt8, forgotten UInt8) ENGINE = MergeTree ORDER BY key",
        "CREATE TABLE IF NOT EXISTS retention_days (day Date, ns Int64) ENGINE = MergeTree ORDER BY day",
    ]

    /// What each schema after 3 adds to a store of the one before.
    static let migrations: [UInt32: [String]] = [
        4: [
            // What scores, reports and rule suggestions read besides the events: per template and day its volume and
            // chatter evidence (summed, or or-ed, by the reader), the pods it occurred in, security findings.
            """
            CREATE TABLE IF NOT EXISTS template_days (batch String, id UInt64, day Int32, events Int64, bytes Int64, first_ns Int64,
              last_ns Int64, max_level UInt8, failure_context UInt8, gaps Int64, gap_sum Float64, gap_squares Float64, repeats Int64,
              sketch UInt64, traits UInt8) ENGINE = MergeTree ORDER BY (day, id)
            """,
            "CREATE TABLE IF NOT EXISTS template_pods (batch String, id UInt64, day Int32, pod String) ENGINE = MergeTree ORDER BY (day, id)",
            """
            CREATE TABLE IF NOT EXISTS findings (batch String, deployment String, class String, day Int32, events Int64, first_ns Int64,
              last_ns Int64, example String) ENGINE = MergeTree ORDER BY (deployment, class, day)
            """,
            // The other shards a cluster batch committed on (in the row of the shard that commits it).
            "ALTER TABLE batches ADD COLUMN shards String DEFAULT ''",
        ],
        5: [
            // Saved searches: a row per save or delete, the newest of a name wins.
            """
            CREATE TABLE IF NOT EXISTS saved_searches (name String, query String, range_from String, range_to String, saved_ns Int64,
              deleted UInt8) ENGINE = MergeTree ORDER BY name
            """,
        ],
    ]

    /// Every statement that creates a new store's tables (schema 3, then the migrations), for `dialect`.
    static func ddl(_ dialect: ClickHouseDialect) -> [String] {
        tables(dialect) + (4...version).flatMap { migrations[$0] ?? [] }
    }

    /// Creates the database and tables if needed (as the server's version takes them); refuses a store written
    /// by a newer logsift. Returns the server's dialect.
    @discardableResult
    static func prepare(_ client: ClickHouseClient) throws -> ClickHouseDialect {
        let dialect = ClickHouseDialect(version: try client.serverVersion())
        try client.execute("CREATE DATABASE IF NOT EXISTS \(client.config.database)", database: false)
        try client.execute("CREATE TABLE IF NOT EXISTS logsift_schema (version UInt32, ns Int64) ENGINE = TinyLog")
        let have = try client.rows("SELECT max(version) FROM logsift_schema").first?.first.flatMap { UInt32($0) } ?? 0
        if have > version {
            throw ClickHouseError(code: 0, message: "\(client.config.display) was written by a newer logsift (schema \(have), this one knows \(version))")
        }
        guard have < version else { return dialect }
        if have < 3 { for t in tables(dialect) { try client.execute(t) } }
        for v in max(have, 3) + 1...version {
            for statement in migrations[v] ?? [] { try client.execute(statement) }
            try client.execute("INSERT INTO logsift_schema VALUES (\(v), \(Int64(Date().timeIntervalSince1970 * 1e9)))")
        }
        return dialect
    }

    /// Prepares every shard's tables, and on a cluster the `Distributed` tables over them (on every shard, so
    /// that any of them answers queries). The cluster must name exactly these servers' shards.
    @discardableResult
    static func prepare(_ shards: [ClickHouseClient], config: ClickHouseConfig) throws -> ClickHouseDialect {
        var dialects: [ClickHouseDialect] = []
        for c in shards { dialects.append(try prepare(c)) }
        // Shards of mixed versions get the SQL the oldest takes.
        let dialect: ClickHouseDialect = dialects.contains(.v18) ? .v18 : .current
        guard let cluster = config.cluster else { return dialect }
        let q = ClickHouseSQL.quote(cluster)
        let known = try shards[0].rows("SELECT count(DISTINCT shard_num) FROM system.clusters WHERE cluster = \(q)").first?.first.flatMap { Int($0) } ?? 0
        guard known == shards.count else {
            throw ClickHouseError(code: 0, message: "cluster \(cluster) has \(known) shards in the servers' remote_servers, the store URL names \(shards.count); "
                                  + "list every shard's HTTP address once")
        }
        for c in shards {
            for name in names {
                try c.execute("CREATE TABLE IF NOT EXISTS \(name)_all AS \(name) ENGINE = Distributed(\(cluster), \(c.config.database), \(name), rand())")
            }
        }
        return dialect
    }
}
