/// The tables logsift keeps in ClickHouse, created and migrated by logsift (`logsift_schema` holds the version).
///
/// Every table carries the `batch` it came in; a batch is visible to readers once its row is in `batches`, which
/// is written last: a batch cut short by a crash stays invisible, and a retry of the same batch adds only what is
/// missing.
enum ClickHouseSchema {
    static let version: UInt32 = 3

    static let tables: [String] = [
        """
        CREATE TABLE IF NOT EXISTS events (
          day Date, ns Int64, batch String, seq UInt32,
          source LowCardinality(String), namespace LowCardinality(String), pod LowCardinality(String),
          container LowCardinality(String), stream LowCardinality(String), deployment LowCardinality(String),
          version LowCardinality(String), level UInt8, flags UInt16, format UInt8, template UInt64, text String
        ) ENGINE = MergeTree PARTITION BY day ORDER BY (deployment, namespace, pod, container, stream, ns)
        """,
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

    /// Creates the database and tables if needed; refuses a store written by a newer logsift.
    static func prepare(_ client: ClickHouseClient) throws {
        try client.execute("CREATE DATABASE IF NOT EXISTS \(client.config.database)", database: false)
        try client.execute("CREATE TABLE IF NOT EXISTS logsift_schema (version UInt32, ns Int64) ENGINE = TinyLog")
        let have = try client.rows("SELECT max(version) FROM logsift_schema").first?.first.flatMap { UInt32($0) } ?? 0
        if have > version {
            throw ClickHouseError(code: 0, message: "\(client.config.display) was written by a newer logsift (schema \(have), this one knows \(version))")
        }
        guard have < version else { return }
        for t in tables { try client.execute(t) }
        try client.execute("INSERT INTO logsift_schema VALUES (\(version), \(Int64(Date().timeIntervalSince1970 * 1e9)))")
    }
}

import Foundation
