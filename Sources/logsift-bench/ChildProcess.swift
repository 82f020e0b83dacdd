import Foundation

/// How a child process ended and what it cost, from `wait4(2)`: exact for this child only.
struct ChildResult {
    var exitCode: Int32
    var signal: Int32
    var wallSeconds: Double
    var userSeconds: Double
    var systemSeconds: Double
    /// Peak resident set size in KiB (`ru_maxrss` on Linux).
    var maxRSSKiB: Int

    var succeeded: Bool { exitCode == 0 && signal == 0 }

    var failureDescription: String {
        signal != 0 ? "was killed by signal \(signal)" : "exited with status \(exitCode)"
    }
}

/// Runs a program with `posix_spawn` and reaps it with `wait4`, so that its own peak RSS and CPU
/// time are known (Foundation's `Process` reaps children itself and hides their rusage).
enum ChildProcess {
    enum Output {
        case inherit
        /// The child's stdout goes to our stderr (keeps our stdout for results).
        case toStderr
        case file(String)
    }

    /// Runs `executable` (looked up in `PATH` if it has no `/`) and waits for it. With `input`, the
    /// child's stdin is a pipe that `input` writes to (given the write end), closed afterwards.
    static func run(_ executable: String, _ arguments: [String], stdout: Output = .inherit,
                    input: ((Int32) throws -> Void)? = nil) throws -> ChildResult {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        var pipeFDs: [Int32] = [-1, -1]
        if input != nil {
            guard pipe(&pipeFDs) == 0 else { throw BenchError("pipe failed: \(String(cString: strerror(errno)))") }
            _ = fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipeFDs[1], F_SETFD, FD_CLOEXEC)
            posix_spawn_file_actions_adddup2(&actions, pipeFDs[0], 0)
        }
        switch stdout {
        case .inherit: break
        case .toStderr: posix_spawn_file_actions_adddup2(&actions, 2, 1)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let started = ContinuousClock.now
        var pid = pid_t()
        let spawned = argv.withUnsafeBufferPointer { pointer in
            executable.contains("/")
                ? posix_spawn(&pid, executable, &actions, nil, pointer.baseAddress!, environ)
                : posix_spawnp(&pid, executable, &actions, nil, pointer.baseAddress!, environ)
        }
        if input != nil { close(pipeFDs[0]) }
        guard spawned == 0 else {
            if input != nil { close(pipeFDs[1]) }
            throw BenchError("cannot run \(executable): \(String(cString: strerror(spawned)))")
        }

        var inputError: (any Error)?
        if let input {
            do { try input(pipeFDs[1]) } catch { inputError = error }
            close(pipeFDs[1])
        }

        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let wall = (ContinuousClock.now - started) / .seconds(1)
        let result = ChildResult(
            exitCode: status & 0x7F == 0 ? (status >> 8) & 0xFF : 0,
            signal: status & 0x7F,
            wallSeconds: wall,
            userSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            systemSeconds: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
            maxRSSKiB: Int(usage.ru_maxrss))
        if let inputError, result.succeeded { throw inputError }
        return result
    }
}
