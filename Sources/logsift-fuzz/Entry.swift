#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The target this process runs: `LOGSIFT_FUZZ_TARGET` (libFuzzer owns the command line), or `--target`
/// for the replay runner.
enum Selected {
    nonisolated(unsafe) static var name = getenv("LOGSIFT_FUZZ_TARGET").map { String(cString: $0) } ?? ""

    static func target() -> FuzzTargets.Target {
        guard let t = FuzzTargets.named(name) else {
            FileOutput.stderr("logsift-fuzz: set LOGSIFT_FUZZ_TARGET to one of: \(FuzzTargets.names) (it is \(name.debugDescription))\n")
            exit(2)
        }
        return t
    }
}

#if LOGSIFT_FUZZ

// libFuzzer's entry points (scripts/fuzz.sh builds with `--sanitize fuzzer -Xswiftc -DLOGSIFT_FUZZ`). libFuzzer
// brings its own `main`, so this build has no `@main`; executable modules are parsed as a library (no
// main.swift), so none is emitted either.
nonisolated(unsafe) private var current: FuzzTargets.Target? = nil

@_cdecl("LLVMFuzzerInitialize")
func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    current = Selected.target()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    if current == nil { current = Selected.target() }
    current!(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#else

/// Replays inputs through a target without libFuzzer (the normal build):
///
///     logsift-fuzz [--target NAME] FILE|DIR...      each file, and each file in each directory
///     logsift-fuzz --target all DIR                 DIR/NAME/* through target NAME, for every target
///     logsift-fuzz --make-block-seeds DIR           writes the `block` seeds made with the store's encoder
///
/// Exits 0 when every input ran; an input that breaks the target traps, after its path is printed.
@main
struct Replay {
    static func main() {
        var args = Array(CommandLine.arguments.dropFirst())
        if args.first == "--help" || args.first == "-h" || args.isEmpty {
            FileOutput.stdout("usage: logsift-fuzz [--target NAME|all] FILE|DIR...  (targets: \(FuzzTargets.names))\n")
            for t in FuzzTargets.all { FileOutput.stdout("  \(t.name): \(t.about)\n") }
            exit(args.isEmpty ? 2 : 0)
        }
        if args.first == "--make-block-seeds", args.count == 2 {
            for (name, bytes) in BlockTarget.seeds() {
                let path = args[1] + "/" + name
                let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                guard fd >= 0, bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
                    FileOutput.stderr("logsift-fuzz: cannot write \(path)\n")
                    exit(1)
                }
                close(fd)
            }
            return
        }
        if args.first == "--target", args.count >= 2 {
            Selected.name = args[1]
            args.removeFirst(2)
        }
        installCrashReport()
        if Selected.name == "all" {
            for t in FuzzTargets.all {
                let dirs = args.map { $0 + "/" + t.name }.filter { isDirectory($0) }
                let n = replay(dirs, t.run)
                FileOutput.stdout("logsift-fuzz: \(t.name): replayed \(n) inputs\n")
            }
            return
        }
        let target = Selected.target()
        let n = replay(args, target)
        FileOutput.stdout("logsift-fuzz: \(Selected.name): replayed \(n) inputs\n")
    }

    static func replay(_ paths: [String], _ target: FuzzTargets.Target) -> Int {
        var n = 0
        for path in paths {
            for file in isDirectory(path) ? entries(path) : [path] {
                guard let bytes = readFile(file) else {
                    FileOutput.stderr("logsift-fuzz: cannot read \(file)\n")
                    exit(1)
                }
                setCurrent(file)
                bytes.withUnsafeBytes { target($0) }
                n += 1
            }
        }
        return n
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Regular files in a directory, by name (hidden ones skipped).
    static func entries(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if !name.hasPrefix(".") { names.append(dir + "/" + name) }
        }
        return names.sorted().filter { !isDirectory($0) }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { return nil }
            if n == 0 { return out }
            out += chunk[0..<n]
        }
    }
}

/// The input being replayed, for the crash report (a fixed buffer: the signal handler may not allocate).
nonisolated(unsafe) private let currentPath = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)

private func setCurrent(_ path: String) {
    let bytes = Array(path.utf8.prefix(4000))
    for (i, b) in bytes.enumerated() { currentPath[i] = CChar(bitPattern: b) }
    currentPath[bytes.count] = 0
}

/// On a trap or crash, names the input before the process dies as it would have.
private func installCrashReport() {
    currentPath[0] = 0
    for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
        signal(sig) { s in
            let head = "logsift-fuzz: crashed on input "
            _ = head.withCString { write(2, $0, strlen($0)) }
            _ = write(2, currentPath, strlen(currentPath))
            _ = write(2, "\n", 1)
            signal(s, SIG_DFL)
            raise(s)
        }
    }
}

#endif
