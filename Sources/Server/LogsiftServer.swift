import Foundation
import HTTPTypes
public import Hummingbird
import LogCore
public import LogIndexer
public import Logging
import Query
import Reporting
public import Scoring
import ServiceLifecycle

/// Everything the routes share: the one store writer, the data directory, auth, limits and metrics.
public struct ServerEnvironment: Sendable {
    public var dataDirectory: String
    public var ingest: StoreIngest
    public var auth: BearerAuth
    public var metrics: ServerMetrics
    public var scoring: ScoringConfig
    public var maxBodyBytes: Int
    /// The ClickHouse store the routes read, when the server runs on one (nil: the embedded store).
    public var clickHouse: ClickHouseConfig?
    /// Structured request logs: every request at debug, refusals at notice, server errors at error.
    public var logger: Logger

    public init(dataDirectory: String, ingest: StoreIngest, auth: BearerAuth, metrics: ServerMetrics, scoring: ScoringConfig, maxBodyBytes: Int,
                clickHouse: ClickHouseConfig? = nil, logger: Logger = Logger(label: "logsift.serve")) {
        self.logger = logger
        self.clickHouse = clickHouse
        self.dataDirectory = dataDirectory
        self.ingest = ingest
        self.auth = auth
        self.metrics = metrics
        self.scoring = scoring
        self.maxBodyBytes = maxBodyBytes
    }
}

/// `logsift serve`: the HTTP API over the same library calls as the CLI.
public enum LogsiftServer {
    public typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    /// The routes: ingest (native, Elasticsearch bulk), queries, health and metrics.
    public static func router(_ env: ServerEnvironment) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        // First, so that it wraps every route: Hummingbird's request metrics (by route, method and status, and
        // active requests) through swift-metrics; they reach /metrics where the process bootstrapped swift-metrics
        // with `env.metrics.factory` (`logsift serve`).
        router.add(middleware: MetricsMiddleware<BasicRequestContext>())
        let ingest = IngestRoutes(env: env)
        let query = QueryRoutes(env: env)
        router.get("/healthz") { _, _ in APIReply.text("ok\n", contentType: "text/plain; charset=utf-8") }
        router.get("/metrics", use: guarded(env, .admin, "/metrics") { _, _ in
            APIReply.text(env.metrics.render(queue: env.ingest.queued), contentType: "text/plain; version=0.0.4; charset=utf-8")
        })
        // Elasticsearch's paths: one group whose middleware marks every answer as Elasticsearch's.
        let es = router.group().add(middleware: ElasticCompat<BasicRequestContext>())
        let version = guarded(env, .ingest, "/") { _, _ in APIReply.json(ElasticCluster.versionDocument) }
        // Browsers get the web UI (a page without data; its API calls carry the token), clients the version document.
        es.get("/") { request, context in
            guard request.headers[.accept]?.contains("text/html") == true else { return try await version(request, context) }
            return WebUI.pageResponse()
        }
        router.get("/ui/{file}") { _, context in WebUI.asset(context.parameters.get("file") ?? "") }
        // Elasticsearch clients' ping.
        es.head("/", use: guarded(env, .ingest, "/") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"]) })
        ElasticRoutes.register(es, env: env)
        router.post("/api/v1/logs", use: guarded(env, .ingest, "/api/v1/logs", ingest.native))
        router.post("/loki/api/v1/push", use: guarded(env, .ingest, "/loki/api/v1/push", ingest.loki))
        router.post("/v1/logs", use: guarded(env, .ingest, "/v1/logs", ingest.otlp))
        router.post("/api/v1/ship", use: guarded(env, .ingest, "/api/v1/ship", ingest.ship))
        router.get("/api/v1/search", use: guarded(env, .read, "/api/v1/search", query.search))
        router.get("/api/v1/histogram", use: guarded(env, .read, "/api/v1/histogram", query.histogram))
        router.get("/api/v1/failures", use: guarded(env, .read, "/api/v1/failures", query.failures))
        router.get("/api/v1/deployments", use: guarded(env, .read, "/api/v1/deployments", query.deployments))
        router.get("/api/v1/stats", use: guarded(env, .read, "/api/v1/stats", query.stats))
        router.get("/api/v1/score", use: guarded(env, .read, "/api/v1/score", query.score))
        router.get("/api/v1/report", use: guarded(env, .read, "/api/v1/report", query.report))
        let saved = SavedSearchRoutes(env: env)
        router.get("/api/v1/saved", use: guarded(env, .read, "/api/v1/saved", saved.list))
        router.post("/api/v1/saved", use: guarded(env, .read, "/api/v1/saved", saved.save))
        router.delete("/api/v1/saved/{name}", use: guarded(env, .read, "/api/v1/saved/{name}", saved.delete))
        // Last: it wraps only the answer for paths no route took.
        router.add(middleware: ElasticFallback<BasicRequestContext>())
        return router
    }

    /// The handler behind a bearer token check for `scope`, with its request counted and timed.
    static func guarded(_ env: ServerEnvironment, _ scope: Scope, _ route: String, _ handler: @escaping Handler) -> Handler {
        { request, context in
            let started = DispatchTime.now().uptimeNanoseconds
            let response: Response
            switch env.auth.check(authorization: request.headers[.authorization], scope: scope) {
            case .unauthenticated:
                response = APIReply.error(.unauthorized, "a bearer token is required: Authorization: Bearer TOKEN", headers: [.wwwAuthenticate: "Bearer"])
            case .forbidden:
                response = APIReply.error(.forbidden, "this token lacks the '\(scope.rawValue)' scope")
            case .allowed:
                do {
                    response = try await handler(request, context)
                } catch let f as APIFailure {
                    response = f.response
                } catch let f as ElasticFailure {
                    response = f.response
                } catch {
                    response = APIReply.error(.internalServerError, "\(error)")
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            env.metrics.request(route: route, status: response.status.code, seconds: seconds)
            let code = response.status.code
            let level: Logger.Level = code >= 500 ? .error : code == 401 || code == 403 || code == 413 || code == 429 ? .notice : .debug
            env.logger.log(level: level, "request", metadata: ["method": "\(request.method)", "route": "\(route)", "status": "\(code)",
                                                                "ms": "\(Int(seconds * 1000))"])
            return response
        }
    }

    /// Runs the server until SIGTERM/SIGINT: then it stops accepting, answers what is in flight, commits
    /// the waiting batches and returns.
    public static func run(env: ServerEnvironment, listen: ListenAddress, syslog: ListenAddress? = nil, logger: Logger,
                           onSyslog: @escaping @Sendable (Int) -> Void = { _ in },
                           onRunning: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let app = Application(router: router(env), configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "logsift"),
                              onServerRunning: { channel in onRunning(channel.localAddress?.port ?? listen.port) }, logger: logger)
        // The last service stops first: the HTTP server, the syslog listener, then the store writer (which commits what waits).
        var services: [any Service] = [env.ingest]
        if let syslog { services.append(SyslogListener(address: syslog, ingest: env.ingest, metrics: env.metrics, logger: logger, onBound: onSyslog)) }
        services.append(app)
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Runs blocking store work off the async executors.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        DispatchQueue.global().async { c.resume(with: Result { try body() }) }
    }
}
