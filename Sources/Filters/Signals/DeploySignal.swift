import LogCore

/// A deployment event read from one log line: a version of a deployment going live, a job building or
/// pushing an image, or a line that ties a pod's ReplicaSet hash to an image tag or version.
public struct DeploySignal: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Argo CD syncing an application to a revision.
        case argoSync = "argocd-sync"
        /// Argo CD Image Updater (or a similar bot) changing an application's image.
        case imageUpdate = "image-update"
        /// `kubectl set image` / `kubectl rollout` / "successfully rolled out".
        case kubectl
        /// `helm upgrade` and its result.
        case helm
        /// A CI job that tagged or pushed an image `name:tag`.
        case imagePush = "image-push"
        /// An application's startup line naming its own version.
        case banner
        /// kubelet pulling an image for a named pod (ties the pod's hash to the tag).
        case imagePull = "image-pull"
    }

    public enum Status: String, Sendable, Codable { case started, succeeded, failed }

    public var kind: Kind
    /// Application, release, deployment or image repository name; empty when the line does not say.
    public var deployment: String
    /// Image tag, revision or version; empty when the line does not say.
    public var version: String
    /// The whole image reference when the line names one.
    public var image: String
    /// A commit id when the line names one.
    public var revision: String
    public var status: Status
    /// The pod a kubelet line names (namespace/name or name).
    public var pod: String

    public init(kind: Kind, deployment: String = "", version: String = "", image: String = "", revision: String = "",
                status: Status = .started, pod: String = "") {
        self.kind = kind
        self.deployment = deployment
        self.version = version
        self.image = image
        self.revision = revision
        self.status = status
        self.pod = pod
    }

    /// Reads a deployment event from a line, nil when it is none. `text` is the event's text (the message of a
    /// structured event is searched inside it as it stands).
    public static func parse(_ text: Substring) -> DeploySignal? {
        let s = text
        // Argo CD application controller.
        if let r = s.range(of: "Sync operation to ") {
            let rest = s[r.upperBound...]
            let rev = LineWords.word(rest)
            let status: Status = rest.contains("succeeded") ? .succeeded : rest.contains("failed") ? .failed : .started
            return DeploySignal(kind: .argoSync, deployment: argoApplication(s), version: shortRevision(rev), revision: isCommit(rev) ? String(rev) : "",
                                status: status)
        }
        if let r = s.range(of: "Initiated automated sync to ") ?? s.range(of: "Initiated sync to ") {
            let rev = LineWords.word(s[r.upperBound...])
            return DeploySignal(kind: .argoSync, deployment: argoApplication(s), version: shortRevision(rev), revision: isCommit(rev) ? String(rev) : "")
        }
        if let r = s.range(of: "argocd app sync ") {
            let app = LineWords.word(s[r.upperBound...])
            let rev = LineWords.value(after: "--revision", in: s) ?? ""
            return DeploySignal(kind: .argoSync, deployment: String(app), version: shortRevision(Substring(rev)), revision: isCommit(Substring(rev)) ? rev : "")
        }
        if let r = s.range(of: "Successfully updated image '") {
            let rest = s[r.upperBound...]
            if let to = rest.range(of: "' to '") {
                let image = LineWords.word(rest[to.upperBound...])
                let ref = ImageReference(image)
                let app = argoApplication(s)
                return DeploySignal(kind: .imageUpdate, deployment: app.isEmpty ? ref.name : app, version: ref.tag, image: String(image),
                                    status: .succeeded)
            }
        }
        // Argo CD (and its Image Updater) naming the image a sync deploys: `Updating images for cart: reg/shop/cart:3.1.0`,
        // `Setting new image to reg/shop/cart:3.1.0 ... application=cart`.
        if let r = s.range(of: "Updating images for ") ?? s.range(of: "Setting new image to ") {
            var rest = s[r.upperBound...]
            var app = ""
            if s[r].hasPrefix("Updating") {
                let name = LineWords.word(rest)
                app = String(name.hasSuffix(":") ? name.dropLast() : name)
                rest = rest.dropFirst(name.count + (rest.hasPrefix(" ") ? 1 : 0)).drop { $0 == " " || $0 == ":" }
            }
            let image = LineWords.word(rest)
            let ref = ImageReference(image)
            if !ref.name.isEmpty, !ref.tag.isEmpty {
                if app.isEmpty { app = argoApplication(s) }
                return DeploySignal(kind: .imageUpdate, deployment: app.isEmpty ? ref.name : app, version: ref.tag, image: String(image))
            }
        }
        // kubectl
        if let r = s.range(of: "set image ") {
            let rest = s[r.upperBound...]
            var words = rest.split(separator: " ", omittingEmptySubsequences: true).makeIterator()
            if let target = words.next(), target.hasPrefix("deployment/") || target.hasPrefix("deploy/") || target.hasPrefix("deployment.apps/") {
                let name = target.split(separator: "/").last.map(String.init) ?? ""
                var version = "", image = ""
                while let w = words.next() {
                    if w.hasPrefix("-") { continue }
                    if let eq = w.firstIndex(of: "=") {
                        image = String(LineWords.word(w[w.index(after: eq)...]))
                        version = ImageReference(Substring(image)).tag
                        break
                    }
                }
                return DeploySignal(kind: .kubectl, deployment: name, version: version, image: image)
            }
        }
        if let r = s.range(of: "rollout restart ") ?? s.range(of: "rollout undo ") {
            let target = LineWords.word(s[r.upperBound...])
            if let slash = target.lastIndex(of: "/") {
                return DeploySignal(kind: .kubectl, deployment: String(target[target.index(after: slash)...]))
            }
        }
        if let r = s.range(of: "\" successfully rolled out") {
            if let q = s[..<r.lowerBound].lastIndex(of: "\"") {
                return DeploySignal(kind: .kubectl, deployment: String(s[s.index(after: q)..<r.lowerBound]), status: .succeeded)
            }
        }
        if let r = s.range(of: "\" exceeded its progress deadline") {
            if let q = s[..<r.lowerBound].lastIndex(of: "\"") {
                return DeploySignal(kind: .kubectl, deployment: String(s[s.index(after: q)..<r.lowerBound]), status: .failed)
            }
        }
        if let r = s.range(of: " image updated"), let slash = s[..<r.lowerBound].lastIndex(of: "/") {
            let head = s[..<slash]
            if head.hasSuffix("deployment.apps") || head.hasSuffix("deployment") {
                return DeploySignal(kind: .kubectl, deployment: String(s[s.index(after: slash)..<r.lowerBound]))
            }
        }
        // helm
        if let r = s.range(of: "helm upgrade ") {
            var words = s[r.upperBound...].split(separator: " ", omittingEmptySubsequences: true).makeIterator()
            var release = ""
            while let w = words.next() {
                if w.hasPrefix("-") { continue }
                release = String(w)
                break
            }
            var version = ""
            for key in ["image.tag=", "tag="] {
                if let t = s.range(of: key) { version = String(LineWords.word(s[t.upperBound...])); break }
            }
            return DeploySignal(kind: .helm, deployment: release, version: version)
        }
        if let r = s.range(of: "Release \""), let end = s[r.upperBound...].firstIndex(of: "\"") {
            let after = s[end...]
            if after.contains("has been upgraded") || after.contains("does not exist. Installing") || after.contains("installed") {
                return DeploySignal(kind: .helm, deployment: String(s[r.upperBound..<end]), status: after.contains("Installing") ? .started : .succeeded)
            }
        }
        if s.contains("Error: UPGRADE FAILED") || s.contains("Error: INSTALLATION FAILED") {
            return DeploySignal(kind: .helm, status: .failed)
        }
        // CI: image tagged / pushed
        if let r = s.range(of: "Successfully tagged ") ?? s.range(of: "naming to ") ?? s.range(of: "pushing manifest for ") ?? s.range(of: "docker push ") {
            var image = LineWords.word(s[r.upperBound...])
            if let at = image.firstIndex(of: "@") { image = image[..<at] }
            let ref = ImageReference(image)
            guard !ref.name.isEmpty, !ref.tag.isEmpty else { return nil }
            let pushed = !s[r].hasPrefix("Successfully tagged") && !s[r].hasPrefix("naming to")
            return DeploySignal(kind: .imagePush, deployment: ref.name, version: ref.tag, image: String(image), status: pushed ? .succeeded : .started)
        }
        // kubelet: an image pulled for a pod ties the pod's ReplicaSet hash to the tag.
        if s.contains("ulling image") || s.contains("ulled image") {
            guard let pod = PodReference.find(s) else { return nil }
            let image = LineWords.quoted(after: "image", in: s) ?? ""
            guard !image.isEmpty else { return nil }
            let ref = ImageReference(Substring(image))
            return DeploySignal(kind: .imagePull, deployment: WorkloadName(podName: pod.name).name, version: ref.tag, image: image,
                                status: .succeeded, pod: pod.name)
        }
        return nil
    }

    /// A startup line naming the application's version (`starting api version 1.4.2`, `version=v2.0.1 listening on :8080`),
    /// nil when the line is no such banner.
    public static func banner(_ s: Substring) -> DeploySignal? {
        let lower = s.lowercased()
        guard lower.contains("start") || lower.contains("listening") || lower.contains("boot") || lower.contains("running") else { return nil }
        guard let r = lower.range(of: "version") else { return nil }
        var rest = lower[r.upperBound...].drop { $0 == "\"" || $0 == ":" || $0 == "=" || $0 == " " || $0 == "'" }
        if rest.hasPrefix("s") { return nil }  // "versions"
        rest = rest.prefix { !$0.isWhitespace && $0 != "\"" && $0 != "," && $0 != "'" && $0 != ")" && $0 != "}" }
        guard let first = rest.first, first.isNumber || (first == "v" && rest.dropFirst().first?.isNumber == true) else { return nil }
        // Take the version from the original text (case kept).
        let offset = lower.distance(from: lower.startIndex, to: rest.startIndex)
        let start = s.index(s.startIndex, offsetBy: offset)
        let version = s[start...].prefix(rest.count)
        return DeploySignal(kind: .banner, version: String(version), revision: commit(in: s), status: .succeeded)
    }

    /// The commit a line names after `commit`, `sha`, `revision` or `git_sha` (`(commit a1b2c3d)`, `commit=a1b2c3d4e5`,
    /// `"git_sha":"a1b2..."`), shortened to 7 characters; empty when none.
    static func commit(in s: Substring) -> String {
        for key in ["commit", "sha", "revision", "Commit", "SHA", "Revision"] {
            var from = s.startIndex
            while let r = s.range(of: key, range: from..<s.endIndex) {
                from = r.upperBound
                let w = LineWords.word(s[r.upperBound...].drop { $0 == "\"" || $0 == ":" || $0 == "=" || $0 == " " || $0 == "'" })
                if isCommit(w) { return shortRevision(w) }
            }
        }
        return ""
    }

    /// The Argo CD application a controller line names: `application=ns/app`, `"application":"app"`, `app=app`.
    static func argoApplication(_ s: Substring) -> String {
        for key in ["application=", "\"application\":\"", "app=", "\"app\":\"", "application "] {
            guard let r = s.range(of: key) else { continue }
            let w = LineWords.word(s[r.upperBound...])
            let name = w.split(separator: "/").last.map(String.init) ?? ""
            if !name.isEmpty { return name }
        }
        if let r = s.range(of: "app/") { return String(LineWords.word(s[r.upperBound...])) }
        return ""
    }

    public static func isCommit(_ s: Substring) -> Bool { s.count >= 7 && s.count <= 64 && s.allSatisfy(\.isHexDigit) }

    /// Commit ids shortened to 7 characters (as Argo CD and git show them); other revisions as given.
    public static func shortRevision(_ s: Substring) -> String { isCommit(s) ? String(s.prefix(7)) : String(s) }
}

/// `registry.example.com:5000/shop/payments:v1.2.3` → name `payments`, tag `v1.2.3`.
public struct ImageReference: Sendable, Equatable {
    public var repository: String
    public var name: String
    public var tag: String

    public init(_ s: Substring) {
        var ref = s
        if let at = ref.firstIndex(of: "@") { ref = ref[..<at] }
        let lastSlash = ref.lastIndex(of: "/")
        let tail = lastSlash.map { ref[ref.index(after: $0)...] } ?? ref
        if let colon = tail.lastIndex(of: ":") {
            repository = String(ref[..<colon])
            name = String(tail[..<colon])
            tag = String(tail[tail.index(after: colon)...])
        } else {
            repository = String(ref)
            name = String(tail)
            tag = ""
        }
    }
}

/// Small word-level helpers for reading values out of log lines.
enum LineWords {
    static func isStop(_ c: Character) -> Bool {
        c.isWhitespace || c == "\"" || c == "'" || c == "," || c == ")" || c == "(" || c == "]" || c == "[" || c == "}" || c == "{" || c == ";" || c == "`"
    }

    /// The word at the start of `s` (after opening quotes), up to a space, quote or bracket.
    static func word(_ s: Substring) -> Substring {
        let t = s.drop { $0 == "\"" || $0 == "'" || $0 == " " || $0 == "[" }
        return t.prefix { !isStop($0) }
    }

    /// The value after `--flag value` or `--flag=value`.
    static func value(after flag: String, in s: Substring) -> String? {
        guard let r = s.range(of: flag) else { return nil }
        var rest = s[r.upperBound...]
        if rest.first == "=" { rest = rest.dropFirst() }
        let w = word(rest)
        return w.isEmpty ? nil : String(w)
    }

    /// The quoted value after a key: `image="x"`, `image: "x"`, `image "x"`.
    static func quoted(after key: String, in s: Substring) -> String? {
        var from = s.startIndex
        while let r = s.range(of: key, range: from..<s.endIndex) {
            from = r.upperBound
            // `key=` or `key:` (a quoted key too), not the key's word inside a message.
            var after = s[r.upperBound...]
            if after.first == "\"" { after = after.dropFirst() }
            guard let sep = after.first, sep == "=" || sep == ":" else { continue }
            let rest = after.dropFirst().drop { $0 == " " }
            if rest.first == "\"" {
                let body = rest.dropFirst().prefix { $0 != "\"" }
                if !body.isEmpty { return String(body) }
            }
        }
        return nil
    }
}
