import Testing
@testable import LogCore

@Suite struct KubernetesNamesTests {
    @Test func containersSymlinkName() throws {
        let ref = try #require(KubernetesPodRef(path: "/var/log/containers/payments-7d4b9c8f5d-x2x4p_shop_payments-0c6a7d1e11114a2b9c3d5e6f7a8b9c0d0c6a7d1e11114a2b9c3d5e6f7a8b9c0d.log"))
        #expect(ref.namespace == "shop")
        #expect(ref.pod == "payments-7d4b9c8f5d-x2x4p")
        #expect(ref.container == "payments")
    }

    @Test func podsDirectoryLayoutAnywhere() throws {
        let ref = try #require(KubernetesPodRef(path: "/mnt/copy/pods/ml_inference-api-8d5f6c7b9-m2n4p_3f9d0a4b-4444/server/3.log"))
        #expect(ref.namespace == "ml")
        #expect(ref.pod == "inference-api-8d5f6c7b9-m2n4p")
        #expect(ref.container == "server")
        #expect(ref.podUID == "3f9d0a4b-4444")
        #expect(KubernetesPodRef(path: "/var/log/pods/ml_x_y/server/0.log.20261119-101010") != nil)
        #expect(KubernetesPodRef(path: "/var/log/syslog") == nil)
        #expect(KubernetesPodRef(path: "/var/log/containers/not-a-kubelet-name.log") == nil)
    }

    @Test(arguments: [
        ("payments-7d4b9c8f5d-x2x4p", "payments", "7d4b9c8f5d", WorkloadName.Kind.deployment),
        ("compose-api-cbff6dfc9-cqfr8", "compose-api", "cbff6dfc9", .deployment),
        ("web-769928975-bcdfg", "web", "769928975", .deployment),
        ("postgres-0", "postgres", "", .statefulSet),
        ("kafka-broker-12", "kafka-broker", "", .statefulSet),
        ("fluent-bit-x7k2p", "fluent-bit", "", .daemonSetOrJob),
        ("nightly-report-29401234-hb2kq", "nightly-report", "", .cronJob),
        ("kube-apiserver-node-a", "kube-apiserver-node-a", "", .standalone),
    ])
    func workloadFromPodName(pod: String, name: String, hash: String, kind: WorkloadName.Kind) {
        let w = WorkloadName(podName: pod)
        #expect(w.name == name)
        #expect(w.replicaSetHash == hash)
        #expect(w.kind == kind)
    }

    @Test(arguments: [("WARN", LogLevel.warn), ("warning", .warn), ("E", .error), ("Error", .error), ("CRITICAL", .fatal),
                      ("information", .info), ("notice", .info), ("dbg", .debug), ("TRACE", .trace), ("panic", .fatal)])
    func levelNames(name: String, level: LogLevel) {
        #expect(LogLevel(name: name) == level)
    }

    @Test func unknownLevelNames() {
        #expect(LogLevel(name: "hello") == nil)
        #expect(LogLevel(name: "") == nil)
    }
}

@Suite struct TokenizerAndEscapingTests {
    @Test func termsSplitOnPunctuationAndFoldCase() {
        #expect(Tokenizer.terms(of: "GET /api/v1/Items?id=42 10.0.0.1") == ["get", "api", "v1", "items", "id", "42", "10", "0", "0", "1"])
        #expect(Tokenizer.terms(of: "café naïve") == ["café", "naïve"])
    }

    @Test func controlCharactersAreShownNotSent() {
        let hostile = Array("a\u{1B}]0;pwned\u{07}b\rc\u{2028}d".utf8) + [0x00, 0xFF]
        let s = TerminalEscaping.escape(hostile)
        #expect(!s.contains("\u{1B}"))
        #expect(!s.contains("\r"))
        #expect(!s.contains("\u{2028}"))
        #expect(s == "a\\e]0;pwned\\x07b\\rc\\u{2028}d\\0\\xff")
    }

    @Test func newlinesOnlyWhenAsked() {
        #expect(TerminalEscaping.escape(Array("a\nb".utf8)) == "a\\nb")
        #expect(TerminalEscaping.escape(Array("a\nb".utf8), keepNewlines: true) == "a\nb")
    }
}
