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

    /// The embedded store, for the routes that read only it yet (scores and the report).
    func embeddedReader(for route: String) throws -> EmbeddedStoreReader {
        if let c = clickHouse {
            throw APIFailure(.notImplemented, "\(route) does not run on a ClickHouse store (\(c.display)) yet; search, failures, deployments and stats do")
        }
        return try EmbeddedStoreReader(directory: dataDirectory)
    }
}
