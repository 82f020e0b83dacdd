import LogIndexer

/// Which store the routes read: the embedded store in the data directory, or a ClickHouse store.
extension ServerEnvironment {
    /// Search, context and histograms.
    func searchReader() throws -> any SearchReader {
        if let c = clickHouse { return try ClickHouseReader(c) }
        return try EmbeddedStoreReader(directory: dataDirectory)
    }

    /// Failures and rollouts.
    func deploymentReader() throws -> any DeploymentReader {
        if let c = clickHouse { return try ClickHouseReader(c) }
        return try EmbeddedStoreReader(directory: dataDirectory)
    }

    /// Scores and the report.
    func scoreReader() throws -> any ScoreReader {
        if let c = clickHouse { return try ClickHouseReader(c) }
        return try EmbeddedStoreReader(directory: dataDirectory)
    }

    /// Saved searches, kept in the store (a function: the ClickHouse one connects when called).
    var savedSearches: @Sendable () throws -> any SavedSearchStore {
        let (c, dir) = (clickHouse, dataDirectory)
        return { if let c { try ClickHouseSavedSearches(c) } else { EmbeddedSavedSearches(directory: dir) } }
    }

    /// What the report names as its data: the data directory, or the ClickHouse store (without secrets).
    var storeName: String { clickHouse?.display ?? dataDirectory }
}
