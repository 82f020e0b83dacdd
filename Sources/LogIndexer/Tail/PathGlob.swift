import Foundation

/// Expands file globs: `*`, `?` and `[...]` within a path component (fnmatch), and `**` for any depth of
/// directories. Symlinked files are returned under the matched name (kubelet's /var/log/containers links
/// carry the metadata); symlinked directories are not descended by `**`, so loops cannot happen.
public struct PathGlob: Sendable {
    public let pattern: String

    public init(_ pattern: String) { self.pattern = pattern }

    /// Paths of regular files (or links to them) that match now, sorted.
    public func matches() -> [String] {
        let absolute = pattern.hasPrefix("/")
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var out: [String] = []
        walk(base: absolute ? "/" : ".", parts: parts[...], out: &out, depth: 0)
        return out.map { absolute ? $0 : ($0.hasPrefix("./") ? String($0.dropFirst(2)) : $0) }.sorted()
    }

    private static func hasMagic(_ s: String) -> Bool { s.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    private func join(_ base: String, _ name: String) -> String { base == "/" ? "/" + name : base + "/" + name }

    private func walk(base: String, parts: ArraySlice<String>, out: inout [String], depth: Int) {
        guard depth < 64, let first = parts.first else { return }
        let rest = parts.dropFirst()
        if first == "**" {
            // Zero directories ...
            walk(base: base, parts: rest, out: &out, depth: depth + 1)
            // ... or one more real (not symlinked) directory, still under `**`.
            for name in entries(base) where !name.hasPrefix(".") {
                let p = join(base, name)
                var st = stat()
                if lstat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { walk(base: p, parts: parts, out: &out, depth: depth + 1) }
            }
            return
        }
        let candidates: [String] = PathGlob.hasMagic(first) ? entries(base).filter { fnmatch(first, $0, FNM_PERIOD) == 0 } : [first]
        for name in candidates {
            let p = join(base, name)
            var st = stat()
            guard stat(p, &st) == 0 else { continue }
            if rest.isEmpty {
                if (st.st_mode & S_IFMT) == S_IFREG { out.append(p) }
            } else if (st.st_mode & S_IFMT) == S_IFDIR {
                walk(base: p, parts: rest, out: &out, depth: depth + 1)
            }
        }
    }

    private func entries(_ dir: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    }

    /// Does `path` match an exclusion glob (whole path, or its file name)?
    public static func excluded(_ path: String, by globs: [String]) -> Bool {
        let name = (path as NSString).lastPathComponent
        return globs.contains { fnmatch($0, path, 0) == 0 || fnmatch($0, name, 0) == 0 }
    }
}
