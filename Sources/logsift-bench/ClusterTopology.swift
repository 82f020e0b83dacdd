/// The simulated cluster: which workloads run in which namespaces, what their containers log, in
/// which runtime format, and how much of the total volume each produces.
struct WorkloadSpec: Sendable {
    enum Kind: Sendable {
        case deployment
        case statefulSet
        case daemonSet
    }

    struct Container: Sendable {
        var name: String
        var dialect: Dialect
        /// Relative share of the total volume.
        var share: Double
    }

    var namespace: String
    var name: String
    var kind: Kind
    var format: ContainerLogFormat
    var containers: [Container]
    /// Image tags before and after the rollout (Deployments), or the single tag.
    var versions: [String]
    /// Pods per ReplicaSet (Deployments) or replicas.
    var replicas: Int
}

extension WorkloadSpec {
    /// About 8 Deployments in 4 namespaces, one StatefulSet and one DaemonSet.
    static let cluster: [WorkloadSpec] = [
        WorkloadSpec(namespace: "shop", name: "web-frontend", kind: .deployment, format: .cri,
                     containers: [Container(name: "nginx", dialect: .webFrontend, share: 9)],
                     versions: ["2026.11.3", "2026.11.4"], replicas: 3),
        WorkloadSpec(namespace: "shop", name: "checkout-api", kind: .deployment, format: .cri,
                     containers: [Container(name: "checkout-api", dialect: .checkoutAPI, share: 15),
                                  Container(name: "istio-proxy", dialect: .istioProxy, share: 5)],
                     versions: ["1.42.0", "1.43.0"], replicas: 3),
        WorkloadSpec(namespace: "shop", name: "cart-service", kind: .deployment, format: .docker,
                     containers: [Container(name: "cart", dialect: .cartService, share: 10)],
                     versions: ["0.19.2", "0.20.0"], replicas: 2),
        WorkloadSpec(namespace: "shop", name: "orders-worker", kind: .deployment, format: .cri,
                     containers: [Container(name: "worker", dialect: .ordersWorker, share: 8)],
                     versions: ["3.8.1", "3.9.0"], replicas: 2),
        WorkloadSpec(namespace: "shop", name: "payment-gateway", kind: .deployment, format: .docker,
                     containers: [Container(name: "payment-gateway", dialect: .paymentGateway, share: 10)],
                     versions: ["2.7.3", "2.8.0"], replicas: 2),
        WorkloadSpec(namespace: "ml", name: "inference-server", kind: .deployment, format: .cri,
                     containers: [Container(name: "inference", dialect: .inferenceServer, share: 9)],
                     versions: ["v12.3", "v12.4"], replicas: 2),
        WorkloadSpec(namespace: "ingress-nginx", name: "ingress-nginx-controller", kind: .deployment, format: .cri,
                     containers: [Container(name: "controller", dialect: .ingressController, share: 20)],
                     versions: ["v1.11.2", "v1.11.3"], replicas: 2),
        WorkloadSpec(namespace: "kube-system", name: "coredns", kind: .deployment, format: .cri,
                     containers: [Container(name: "coredns", dialect: .coreDNS, share: 4)],
                     versions: ["v1.11.1", "v1.11.3"], replicas: 2),
        WorkloadSpec(namespace: "ml", name: "model-trainer", kind: .statefulSet, format: .cri,
                     containers: [Container(name: "trainer", dialect: .modelTrainer, share: 5)],
                     versions: ["2026-11-rc2"], replicas: 2),
        WorkloadSpec(namespace: "kube-system", name: "kube-proxy", kind: .daemonSet, format: .cri,
                     containers: [Container(name: "kube-proxy", dialect: .kubeProxy, share: 2)],
                     versions: ["v1.29.10-eksbuild.3"], replicas: 1),
    ]
}

/// Kubernetes names as the controllers generate them.
enum KubernetesName {
    /// The alphabet of pod-template hashes and generated-name suffixes (no vowels, no 0/1/3).
    static let alphabet: [Character] = Array("bcdfghjklmnpqrstvwxz2456789")

    /// A random string over the alphabet; `needsDigit` forces at least one digit, as a
    /// pod-template hash that is all letters would be mistaken for a word.
    static func random(_ length: Int, needsDigit: Bool, _ rng: inout SplitMix64) -> String {
        while true {
            let text = String((0..<length).map { _ in alphabet[rng.below(alphabet.count)] })
            if !needsDigit || text.contains(where: \.isNumber) { return text }
        }
    }

    /// A 64-hex-digit container id.
    static func containerID(_ rng: inout SplitMix64) -> String {
        (0..<4).map { _ in
            let hex = String(rng.next(), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    static func uuid(_ rng: inout SplitMix64) -> String {
        let sink = ByteSink(capacity: 40)
        sink.appendUUID(&rng)
        return String(decoding: sink.bytes, as: UTF8.self)
    }
}
