import Foundation
import Testing
import Yams
import Server
import Filters

/// `deploy/`: the Kubernetes manifests and the compose file parse, and what logsift reads from them holds
/// together: the agent's arguments (the Service's URL and port, the token file inside the Secret's mount, the
/// state directory on a hostPath, kubelet's log directories mounted from the host, the node name from the
/// downward API, the rules file inside the ConfigMap's mount), the server's config (the agents' token with the
/// ingest scope, a listen address beyond loopback), and the rules (they load as logsift's noise rules).
@Suite struct DeployManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy")

    static func req<T>(_ v: T?, _ message: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        try #require(v, Comment(rawValue: message), sourceLocation: sourceLocation)
    }

    static func documents(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        return try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }
    }

    static func find(_ docs: [[String: Any]], kind: String) throws -> [String: Any] {
        try Self.req(docs.first { $0["kind"] as? String == kind }, "no \(kind)")
    }

    /// Path → (volume name, readOnly) of a container's mounts; the volume's source by name.
    static func pod(_ workload: [String: Any]) throws -> (container: [String: Any], mounts: [String: String], volumes: [String: [String: Any]]) {
        let spec = try Self.req(((workload["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try Self.req((spec["containers"] as? [[String: Any]])?.first)
        var mounts: [String: String] = [:]
        for m in container["volumeMounts"] as? [[String: Any]] ?? [] { mounts[m["mountPath"] as! String] = m["name"] as? String }
        var volumes: [String: [String: Any]] = [:]
        for v in spec["volumes"] as? [[String: Any]] ?? [] { volumes[v["name"] as! String] = v }
        return (container, mounts, volumes)
    }

    /// The value after `flag` in an argument list.
    static func value(_ args: [String], _ flag: String) -> String? {
        guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
        return args[i + 1]
    }

    /// The mount whose path holds `file`.
    static func mount(of file: String, in mounts: [String: String]) -> String? {
        mounts.keys.filter { file.hasPrefix($0 + "/") }.max { $0.count < $1.count }.flatMap { mounts[$0] }
    }

    @Test func kubernetesManifestsHoldTogether() throws {
        let secret = try Self.find(try Self.documents("kubernetes/secret.yaml"), kind: "Secret")
        let data = try Self.req(secret["stringData"] as? [String: String])
        let agentToken = try Self.req(data["agent-token"])
        let serveConfig = try ServerConfig.load(yaml: try Self.req(data["serve.yaml"]), source: "secret serve.yaml")
        #expect(serveConfig.tokens.contains { $0.token == agentToken && $0.scopes.contains(.ingest) }, "the agents' token may ingest")
        let listen = try Self.req(serveConfig.listen.flatMap(ListenAddress.init))
        #expect(listen.host == "0.0.0.0")

        let rulesMap = try Self.find(try Self.documents("kubernetes/configmap.yaml"), kind: "ConfigMap")
        let rules = try Self.req((rulesMap["data"] as? [String: String])?["rules.yaml"])
        let filters = try FilterConfig.load(yaml: rules, source: "configmap rules.yaml")
        #expect(!filters.rules.isEmpty)

        let serveDocs = try Self.documents("kubernetes/serve.yaml")
        let deployment = try Self.find(serveDocs, kind: "Deployment")
        let service = try Self.find(serveDocs, kind: "Service")
        let (serve, serveMounts, serveVolumes) = try Self.pod(deployment)
        let serveArgs = try Self.req(serve["args"] as? [String])
        #expect(serveArgs.first == "serve")
        let dataDir = try Self.req(Self.value(serveArgs, "--data"))
        #expect(serveVolumes[try Self.req(Self.mount(of: dataDir + "/x", in: serveMounts))]?["persistentVolumeClaim"] != nil)
        let configPath = try Self.req(Self.value(serveArgs, "--config"))
        let configVolume = try Self.req(serveVolumes[try Self.req(Self.mount(of: configPath, in: serveMounts))])
        #expect((configVolume["secret"] as? [String: Any])?["secretName"] as? String == secret["metadata"].flatMap { ($0 as? [String: Any])?["name"] as? String })
        let containerPort = try Self.req((serve["ports"] as? [[String: Any]])?.first?["containerPort"] as? Int)
        #expect(containerPort == listen.port)
        let servicePort = try Self.req(((service["spec"] as? [String: Any])?["ports"] as? [[String: Any]])?.first?["port"] as? Int)
        let serviceName = try Self.req((service["metadata"] as? [String: Any])?["name"] as? String)
        let namespace = try Self.req((service["metadata"] as? [String: Any])?["namespace"] as? String)
        #expect(((deployment["spec"] as? [String: Any])?["replicas"] as? Int) == 1, "one writer per data directory")

        let daemonSet = try Self.find(try Self.documents("kubernetes/agent.yaml"), kind: "DaemonSet")
        let (agent, mounts, volumes) = try Self.pod(daemonSet)
        let args = try Self.req(agent["args"] as? [String])
        #expect(Array(args.prefix(2)) == ["tail", "--ship"])
        #expect(Self.value(args, "--ship") == "http://\(serviceName).\(namespace).svc:\(servicePort)")
        let tokenFile = try Self.req(Self.value(args, "--token-file"))
        let tokenVolume = try Self.req(volumes[try Self.req(Self.mount(of: tokenFile, in: mounts))])
        let items = (tokenVolume["secret"] as? [String: Any])?["items"] as? [[String: Any]] ?? []
        #expect(items.contains { tokenFile.hasSuffix("/" + ($0["path"] as? String ?? "?")) && $0["key"] as? String == "agent-token" })
        let stateDir = try Self.req(Self.value(args, "--state-dir"))
        #expect((volumes[try Self.req(mounts[stateDir])]?["hostPath"] as? [String: Any])?["path"] as? String == stateDir)
        for dir in ["/var/log/containers", "/var/log/pods"] {
            let v = try Self.req(mounts[dir].flatMap { volumes[$0] }, "\(dir) is not mounted")
            #expect((v["hostPath"] as? [String: Any])?["path"] as? String == dir, "\(dir) comes from the host at the same path (kubelet's links)")
        }
        #expect(args.last == "/var/log/containers/*.log")
        #expect(Self.value(args, "--node") == "$(NODE_NAME)")
        let env = agent["env"] as? [[String: Any]] ?? []
        let nodeEnv = try Self.req(env.first { $0["name"] as? String == "NODE_NAME" })
        #expect(((nodeEnv["valueFrom"] as? [String: Any])?["fieldRef"] as? [String: Any])?["fieldPath"] as? String == "spec.nodeName")
        let rulesPath = try Self.req(Self.value(args, "--config"))
        let rulesVolume = try Self.req(volumes[try Self.req(Self.mount(of: rulesPath, in: mounts))])
        #expect((rulesVolume["configMap"] as? [String: Any])?["name"] as? String == (rulesMap["metadata"] as? [String: Any])?["name"] as? String)
        #expect(rulesPath.hasSuffix("/rules.yaml"))
        let metrics = try Self.req(Self.value(args, "--metrics-listen"))
        #expect((agent["ports"] as? [[String: Any]])?.first?["containerPort"] as? Int == ListenAddress(metrics)?.port)
    }

    @Test func composeFileHoldsTogether() throws {
        let doc = try Self.req(try Self.documents("compose/docker-compose.yaml").first)
        let services = try Self.req(doc["services"] as? [String: Any])
        let serve = try Self.req(services["serve"] as? [String: Any]), agent = try Self.req(services["agent"] as? [String: Any])
        let serveArgs = try Self.req(serve["command"] as? [String]), agentArgs = try Self.req(agent["command"] as? [String])
        #expect(serveArgs.first == "serve" && Array(agentArgs.prefix(2)) == ["tail", "--ship"])
        #expect(Self.value(agentArgs, "--ship") == "http://serve:8080")
        let volumes = try Self.req(agent["volumes"] as? [String])
        for flag in ["--token-file", "--state-dir"] {
            let path = try Self.req(Self.value(agentArgs, flag))
            #expect(volumes.contains { v in path.hasPrefix(v.split(separator: ":")[1]) }, "\(flag) \(path) is not on a volume")
        }
    }
}
