import LogCore
import Testing
@testable import Filters

@Suite struct FailureSignalTests {
    static let failures: [(String, LogLevel, FailureKind)] = [
        ("anything", .error, .errorLevel),
        ("anything", .fatal, .errorLevel),
        ("Traceback (most recent call last):", .unknown, .exception),
        ("java.lang.NullPointerException: null", .info, .exception),
        ("Exception in thread \"main\" java.lang.IllegalStateException", .unknown, .exception),
        ("panic: runtime error: invalid memory address or nil pointer dereference", .unknown, .exception),
        ("Last State: Terminated Reason: OOMKilled Exit Code: 137", .info, .oomKilled),
        ("Warning BackOff pod/web-1 Back-off restarting failed container web in pod web-1", .info, .crashLoop),
        ("web-1   0/1   CrashLoopBackOff   5   3m", .unknown, .crashLoop),
        ("Liveness probe failed: HTTP probe failed with statuscode: 500", .info, .probeFailed),
        ("I0101 prober.go:107] \"Probe failed\" probeType=\"Readiness\" pod=\"default/web-1\"", .info, .probeFailed),
        ("Status: Failed Reason: Evicted Message: The node was low on resource: memory.", .info, .evicted),
        ("Failed to pull image \"x:1\": ErrImagePull", .info, .imagePull),
        ("web-1 0/1 ImagePullBackOff 0 1m", .unknown, .imagePull),
        ("Process exited with code 1", .info, .nonZeroExit),
        ("container web terminated, exit code: 137", .info, .nonZeroExit),
        ("Error: exit status 2", .unknown, .nonZeroExit),
        ("{\"exitCode\":3}", .unknown, .nonZeroExit),
        ("Finished: FAILURE", .unknown, .pipelineFailed),
        ("##[error]Process completed with exit code 1.", .unknown, .pipelineFailed),
        ("level=info msg=\"Sync operation to 1a2b3c failed: one or more objects failed to apply\"", .info, .pipelineFailed),
        ("msg=\"Updated health status: Progressing -> Degraded\" application=argocd/web", .info, .pipelineFailed),
        ("time=x level=info msg=\"Sync failed\" app=web", .info, .pipelineFailed),
        ("ERROR: failed to solve: process \"/bin/sh -c make\" did not complete successfully: exit code: 2", .unknown, .buildError),
        ("The command '/bin/sh -c npm ci' returned a non-zero code: 1", .unknown, .buildError),
    ]

    @Test(arguments: failures.indices)
    func failure(_ i: Int) {
        let (text, level, kind) = Self.failures[i]
        #expect(FailureSignal.classify(text, level: level) == kind, "\(text)")
    }

    static let notFailures: [(String, LogLevel)] = [
        ("GET /healthz 200", .info),
        ("Process exited with code 0", .info),
        ("exit code: 0", .unknown),
        ("{\"exitCode\":0}", .unknown),
        ("Finished: SUCCESS", .unknown),
        ("Sync operation to 1a2b3c succeeded", .info),
        ("probe succeeded", .info),
        ("retrying connection", .warn),
        ("exception handling is configured", .info),
    ]

    @Test(arguments: notFailures.indices)
    func notFailure(_ i: Int) {
        let (text, level) = Self.notFailures[i]
        #expect(FailureSignal.classify(text, level: level) == nil, "\(text)")
    }

    @Test func signalsFitInTheFirstHitWord() { #expect(FailureSignal.signals.count <= 64) }
}
