/// A pod named inside a log line (kubelet, events, controllers): `pod="ns/name"`, `pod/name`, `"pod":"name"`.
public struct PodReference: Sendable, Equatable {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The first pod the line names, nil when none.
    public static func find(_ s: Substring) -> PodReference? {
        for key in ["pod=\"", "pod=", "\"pod\":\"", "pod/", "podName=", "pod \"", "Pod \"", "pods/"] {
            var from = s.startIndex
            while let r = s.range(of: key, range: from..<s.endIndex) {
                from = r.upperBound
                // `pod=` must not be the tail of a longer key (`mypod=`), `pod/` not of a path segment (`nopod/`).
                if r.lowerBound > s.startIndex {
                    let before = s[s.index(before: r.lowerBound)]
                    if before.isLetter || before.isNumber || before == "_" || before == "-" { continue }
                }
                let w = LineWords.word(s[r.upperBound...])
                guard !w.isEmpty else { continue }
                let parts = w.split(separator: "/", omittingEmptySubsequences: false)
                let name = parts.last.map(String.init) ?? ""
                guard isPodName(name) else { continue }
                return PodReference(namespace: parts.count >= 2 ? String(parts[parts.count - 2]) : "", name: name)
            }
        }
        return nil
    }

    /// A DNS-1123 subdomain-like name with at least one `-` (generated pod names always have one).
    static func isPodName(_ s: String) -> Bool {
        guard s.count >= 3, s.count <= 253, s.contains("-"), let f = s.first, f.isLetter || f.isNumber else { return false }
        return s.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "." }
    }
}
