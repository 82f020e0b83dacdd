import Foundation

/// Where files matched by globs may really live. A container (or anyone who can write into a log directory)
/// can plant `app.log -> /etc/shadow`; a shipper that follows it sends the secret to everyone who can
/// search. So a file found through a glob is read only if its real path (links resolved, `/proc/self/fd`)
/// lies under a root: the glob's directory (the part before its first wildcard), for kubelet's
/// `…/containers` also the sibling `…/pods` its links point into, and any `--allow-root`. A file named
/// without wildcards is the user's explicit choice and is followed wherever it leads (with the directory it
/// resolves to, for its rotated siblings).
///
/// `..` is accepted only at the start of a relative pattern (`../logs/*.log`); anywhere else it is refused,
/// since after a wildcard it would climb out of whatever directory the wildcard matched.
public struct PathConfinement: Sendable {
    public struct BadPattern: Error, CustomStringConvertible {
        public let pattern: String
        public var description: String {
            "the pattern '\(pattern)' has a '..' after other components; write the directory it means (a '..' is accepted only at the start of a relative path)"
        }
    }

    /// Directories (lexically normalised, absolute) that globbed files must really live under.
    public private(set) var roots: [String] = []
    /// Patterns without wildcards, normalised: named files, followed wherever they lead.
    public private(set) var namedFiles: [String] = []

    public init(patterns: [String], allowRoots: [String] = [], workingDirectory: String? = nil) throws {
        let workingDirectory = workingDirectory ?? FileManager.default.currentDirectoryPath
        for pattern in patterns {
            let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
            var leading = true
            for part in parts {
                if part == ".." { if !leading || pattern.hasPrefix("/") { throw BadPattern(pattern: pattern) } } else if part != "." { leading = false }
            }
            let absolute = Self.normalise(pattern, in: workingDirectory)
            let components = absolute.split(separator: "/").map(String.init)
            guard let firstMagic = components.firstIndex(where: { $0.contains { "*?[".contains($0) } }) else {
                namedFiles.append(absolute)
                continue
            }
            let root = "/" + components[..<firstMagic].joined(separator: "/")
            roots.append(root)
            // kubelet: /var/log/containers/<pod>_<ns>_<container>-<id>.log -> /var/log/pods/<ns>_<pod>_<uid>/<container>/0.log
            if components[..<firstMagic].last == "containers" {
                roots.append((root as NSString).deletingLastPathComponent + "/pods")
            }
        }
        var unique: [String] = []
        for root in roots + allowRoots.map({ Self.normalise($0, in: workingDirectory) }) where !unique.contains(root) { unique.append(root) }
        roots = unique
    }

    /// `path` made absolute against `directory`, with `.` and `..` resolved lexically.
    static func normalise(_ path: String, in directory: String) -> String {
        let full = path.hasPrefix("/") ? path : directory + "/" + path
        var out: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(part)
        }
        return "/" + out.joined(separator: "/")
    }

    /// The real path of an open file (what the descriptor refers to now).
    public static func realPath(fd: Int32) -> String? {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/fd/\(fd)", &buf, buf.count - 1)
        if n > 0 { return String(decoding: buf[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #if canImport(Darwin)
        if fcntl(fd, F_GETPATH, &buf) == 0 { return String(cString: buf) }
        #endif
        return nil
    }

    /// `path` with every link resolved (nil if it does not exist).
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    static func isUnder(_ path: String, _ root: String) -> Bool {
        root == "/" || path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// May the file open as `fd`, reached through `matchedPath`, be read? Nil if so, else the reason.
    public func refusal(fd: Int32, matchedPath: String) -> String? {
        guard let real = Self.realPath(fd: fd) else { return nil }
        let matched = Self.normalise(matchedPath, in: FileManager.default.currentDirectoryPath)
        if namedFiles.contains(matched) { return nil }
        // A root may itself be (or lie under) a link, as /var/log is on some systems: compare real paths too.
        var allowed = roots
        allowed += roots.compactMap(Self.realPath)
        allowed += namedFiles.compactMap { Self.realPath($0).map { ($0 as NSString).deletingLastPathComponent } }
        if allowed.contains(where: { Self.isUnder(real, $0) }) { return nil }
        let shown = roots.isEmpty ? "none" : roots.joined(separator: ", ")
        return "not reading \(matchedPath): it resolves to \(real), outside the directories its glob may read (\(shown)); pass --allow-root to follow links there"
    }
}
