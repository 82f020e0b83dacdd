import Foundation
import LogIndexer
import Hummingbird

/// The read-only cluster calls clients and shippers make at start: the version document, health, licence,
/// X-Pack features and node info, each for logsift's one node.
enum ElasticCluster {
    static let version = "8.17.0"

    /// The version document clients read from `GET /` before they ship.
    static let versionDocument = """
    {"name":"logsift","cluster_name":"logsift","cluster_uuid":"logsift-embedded","version":{"number":"\(version)","build_flavor":"default",\
    "build_type":"logsift","build_hash":"logsift","build_date":"2026-01-01T00:00:00.000Z","build_snapshot":false,"lucene_version":"9.12.0",\
    "minimum_wire_compatibility_version":"7.17.0","minimum_index_compatibility_version":"7.0.0"},"tagline":"You Know, for Search"}
    """

    static let health = """
    {"cluster_name":"logsift","status":"green","timed_out":false,"number_of_nodes":1,"number_of_data_nodes":1,"active_primary_shards":1,\
    "active_shards":1,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":0,"unassigned_primary_shards":0,\
    "delayed_unassigned_shards":0,"number_of_pending_tasks":0,"number_of_in_flight_fetch":0,"task_max_waiting_in_queue_millis":0,\
    "active_shards_percent_as_number":100.0}
    """

    static let license = """
    {"license":{"status":"active","uid":"logsift","type":"basic","issue_date":"1970-01-01T00:00:00.000Z","issue_date_in_millis":0,\
    "max_nodes":1000,"max_resource_units":null,"issued_to":"logsift","issuer":"elasticsearch","start_date_in_millis":-1}}
    """

    static let xpack = """
    {"build":{"hash":"logsift","date":"2026-01-01T00:00:00.000Z"},"license":{"uid":"logsift","type":"basic","mode":"basic","status":"active"},\
    "features":{"ilm":{"available":true,"enabled":true},"security":{"available":true,"enabled":false},"monitoring":{"available":true,"enabled":false},\
    "ml":{"available":false,"enabled":false},"data_streams":{"available":true,"enabled":true},"enrich":{"available":true,"enabled":false}},\
    "tagline":"You know, for X"}
    """

    /// `GET /_nodes[/…]`: one node, publishing the address the client reached (so sniffing clients stay here).
    static func nodes(host: String) -> String {
        let address = JSONText.quote(host)
        return "{\"_nodes\":{\"total\":1,\"successful\":1,\"failed\":0},\"cluster_name\":\"logsift\",\"nodes\":{\"logsift\":{\"name\":\"logsift\","
            + "\"transport_address\":\(address),\"host\":\"logsift\",\"ip\":\"127.0.0.1\",\"version\":\"\(version)\",\"roles\":[\"data\",\"ingest\",\"master\"],"
            + "\"http\":{\"bound_address\":[\(address)],\"publish_address\":\(address),\"max_content_length_in_bytes\":104857600},"
            + "\"ingest\":{\"processors\":[]}}}}"
    }

    static func register(_ group: RouterGroup<BasicRequestContext>, _ route: (ServerEnvironment, String, @escaping LogsiftServer.Handler) -> LogsiftServer.Handler,
                         env: ServerEnvironment) {
        group.get("/_cluster/health", use: route(env, "/_cluster/health") { _, _ in APIReply.json(health) })
        group.get("/_cluster/health/:index", use: route(env, "/_cluster/health") { _, _ in APIReply.json(health) })
        group.get("/_license", use: route(env, "/_license") { _, _ in APIReply.json(license) })
        group.get("/_xpack", use: route(env, "/_xpack") { _, _ in APIReply.json(xpack) })
        let nodes: LogsiftServer.Handler = { request, _ in APIReply.json(Self.nodes(host: request.head.authority ?? "127.0.0.1:9200")) }
        for path in ["/_nodes", "/_nodes/:a", "/_nodes/:a/:b", "/_nodes/:a/:b/:c"] { group.get(RouterPath(stringLiteral: path), use: route(env, "/_nodes", nodes)) }
    }
}
