import ArgumentParser
import Dispatch
import LogIndexer

/// The entry point. Every command but `serve` is synchronous and runs on the main thread: `Logsift`'s own async
/// `main` (an AsyncParsableCommand's) would start Swift concurrency's thread pool and run the command on one of its
/// threads, which also gets a malloc arena of its own, for ~2 ms of every `logsift search`. `serve` runs as a task
/// while the main thread waits for it.
@main
enum Main {
    static func main() {
        MallocTuning.keepLargeBlocks()
        do {
            var command = try Logsift.parseAsRoot()
            if let asynchronous = command as? any AsyncParsableCommand {
                try runToEnd(asynchronous)
            } else {
                try command.run()
            }
        } catch {
            Logsift.exit(withError: error)
        }
    }

    private static func runToEnd(_ command: any AsyncParsableCommand) throws {
        let run = AsyncRun(command)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await run.start()
            done.signal()
        }
        done.wait()
        if let error = run.error { throw error }
    }
}

/// An async command and how it ended, handed to the task that runs it.
// @unchecked Sendable: `command` and `error` are touched by the task only, and read after it signalled its end.
private final class AsyncRun: @unchecked Sendable {
    var command: any AsyncParsableCommand
    var error: (any Error)?
    init(_ command: any AsyncParsableCommand) { self.command = command }
    func start() async {
        do { try await command.run() } catch { self.error = error }
    }
}
