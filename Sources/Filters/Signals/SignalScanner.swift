/// Which families of signals a line may hold, after one literal scan.
public struct SignalHits: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A deployment event (sync, rollout, helm, image push or pull).
    public static let deploy = SignalHits(rawValue: 1 << 0)
    /// The word "version" (a startup banner, checked on a stream's first events only).
    public static let version = SignalHits(rawValue: 1 << 1)
    /// The repository a CI job checks out.
    public static let repository = SignalHits(rawValue: 1 << 2)
    public static let secret = SignalHits(rawValue: 1 << 3)
    public static let injection = SignalHits(rawValue: 1 << 4)
    public static let authFailure = SignalHits(rawValue: 1 << 5)
}

/// One pass over a line's bytes finds the gate literals of every signal family; the (slower) parsers of
/// ``DeploySignal`` and ``SecuritySignal`` then run only on the few lines that hit.
public struct SignalScanner: Sendable {
    private static let gates: [(Literal, SignalHits)] = [
        (Literal("Sync operation to "), .deploy), (Literal("Initiated automated sync"), .deploy), (Literal("Initiated sync to"), .deploy),
        (Literal("argocd app sync "), .deploy), (Literal("Successfully updated image"), .deploy), (Literal("set image "), .deploy),
        (Literal("rollout restart "), .deploy), (Literal("rollout undo "), .deploy), (Literal("successfully rolled out"), .deploy),
        (Literal("exceeded its progress deadline"), .deploy), (Literal(" image updated"), .deploy), (Literal("helm upgrade "), .deploy),
        (Literal("Release \""), .deploy), (Literal("UPGRADE FAILED"), .deploy), (Literal("INSTALLATION FAILED"), .deploy),
        (Literal("Successfully tagged "), .deploy), (Literal("naming to "), .deploy), (Literal("pushing manifest for "), .deploy),
        (Literal("docker push "), .deploy), (Literal("ulling image"), .deploy), (Literal("ulled image"), .deploy),
        (Literal("Updating images for "), .deploy), (Literal("Setting new image to "), .deploy),
        (Literal("version", caseless: true), .version),
        (Literal("Obtained Jenkinsfile from git "), .repository), (Literal("Syncing repository: "), .repository),
        (Literal("repository: "), .repository), (Literal("docker build "), .repository), (Literal("buildx build "), .repository),
        (Literal("HEAD is now at "), .repository), (Literal("Checking out Revision "), .repository),
        (Literal("PRIVATE KEY-----"), .secret), (Literal("AKIA"), .secret), (Literal("ASIA"), .secret), (Literal("eyJ"), .secret),
        (Literal("bearer ", caseless: true), .secret), (Literal("password", caseless: true), .secret),
        (Literal("passwd", caseless: true), .secret), (Literal("pwd", caseless: true), .secret),
        (Literal("${"), .injection),
        (Literal("authentication fail", caseless: true), .authFailure), (Literal("failed password", caseless: true), .authFailure),
        (Literal("invalid credentials", caseless: true), .authFailure), (Literal("login failed", caseless: true), .authFailure),
        (Literal("invalid password", caseless: true), .authFailure), (Literal("401 Unauthorized"), .authFailure),
    ]
    private let scanner = LiteralScanner(gates.map(\.0))
    private let families = gates.map(\.1)

    public init() {}

    public func scan(_ text: UnsafeBufferPointer<UInt8>) -> SignalHits {
        let words = scanner.wordCount
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { buf in
            let hits = buf.baseAddress!
            hits.initialize(repeating: 0, count: words)
            scanner.scan(text, into: hits)
            var out: SignalHits = []
            for w in 0..<words {
                var bits = hits[w]
                while bits != 0 {
                    let i = bits.trailingZeroBitCount
                    out.insert(families[w * 64 + i])
                    bits &= bits - 1
                }
            }
            return out
        }
    }

    /// What a CI job works on: the repository it checks out (`Obtained Jenkinsfile from git https://…/payments.git`,
    /// `Syncing repository: org/payments`) as a deployment name, or the image it builds (`docker build -t name:tag`)
    /// with its tag as the version.
    public static func job(_ s: Substring) -> (deployment: String, version: String)? {
        if s.contains("HEAD is now at ") || s.contains("Checking out Revision ") { return nil }
        if s.contains("build "), let tag = LineWords.value(after: " -t ", in: s) ?? LineWords.value(after: "--tag", in: s) {
            let ref = ImageReference(Substring(tag))
            if !ref.name.isEmpty { return (ref.name, ref.tag) }
        }
        for key in ["Obtained Jenkinsfile from git ", "Syncing repository: ", "repository: "] {
            guard let r = s.range(of: key) else { continue }
            var w = LineWords.word(s[r.upperBound...])
            if w.hasSuffix(".git") { w = w.dropLast(4) }
            guard let name = w.split(separator: "/").last, !name.isEmpty, !name.contains(":") else { continue }
            return (String(name), "")
        }
        return nil
    }

    /// The commit a CI job builds, shortened to 7 characters: `HEAD is now at a1b2c3d message` (git), `Checking out
    /// Revision a1b2c3d4… (refs/remotes/origin/main)` (Jenkins' git plugin); nil for other lines.
    public static func revision(_ s: Substring) -> String? {
        for key in ["HEAD is now at ", "Checking out Revision "] {
            guard let r = s.range(of: key) else { continue }
            let w = LineWords.word(s[r.upperBound...])
            if DeploySignal.isCommit(w) { return DeploySignal.shortRevision(w) }
        }
        return nil
    }
}
