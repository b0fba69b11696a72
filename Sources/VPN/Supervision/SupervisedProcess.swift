import Foundation
import Glibc
import Logging
import Synchronization
import SystemCalls

/// A daemon the node runs as its child (`wireguard-go`, `charon`): in the foreground, in a
/// session of its own, stopped by its pid.
///
/// A watcher thread reaps it; an exit nobody asked for is logged and, after a backoff that grows
/// while it keeps dying young, reported through `exited` so the reconciler starts it again. A
/// start within the backoff is refused, so a daemon that cannot run never crash-loops.
final class SupervisedProcess: Sendable {
    /// A run shorter than this counts as dying young, and doubles the next backoff.
    static let healthyRun: Duration = .seconds(30)
    static let maximumBackoff: Duration = .seconds(30)

    /// What logs and reasons call it.
    let name: String
    let executable: String
    private let arguments: [String]
    private let environment: [String: String]
    private let logger: Logger
    private let exited: @Sendable () -> Void

    private struct State {
        var pid: pid_t?
        var isStopping = false
        var startedAt: ContinuousClock.Instant?
        var youngDeaths = 0
        var lastExit: ChildExit?
        /// No start before this, after an exit nobody asked for.
        var notBefore: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    /// - Parameter environment: the child's whole environment; a `PATH` is added when it has none.
    init(name: String, executable: String, arguments: [String], environment: [String: String], logger: Logger,
         exited: @escaping @Sendable () -> Void) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.environment = environment.merging(["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]) { mine, _ in mine }
        self.logger = logger
        self.exited = exited
    }

    var isRunning: Bool { state.withLock { $0.pid != nil } }

    /// How the last run ended, when it ended on its own.
    var lastExit: ChildExit? { state.withLock { $0.lastExit } }

    /// Why it is not running, when it ended on its own: `charon exited with status 1`.
    var stoppedReason: String? { lastExit.map { "\(name) \($0)" } }

    /// Starts the daemon and waits until `ready` says it serves.
    /// - Throws: ``Failure`` when it is in its backoff, cannot be started, ends while starting,
    ///   or is not ready within `limit` (it is stopped then).
    func start(within limit: Duration, ready: @Sendable () -> Bool) async throws(Failure) {
        if let notBefore = state.withLock({ $0.notBefore }), ContinuousClock.now < notBefore {
            throw Failure(reason: "\(stoppedReason ?? "\(name) ended"); started again after a pause")
        }
        let pid: pid_t
        do {
            pid = try Posix.spawn(executable, arguments, environment: environment)
        } catch {
            throw Failure(reason: "cannot start \(executable): \(error.reason)")
        }
        state.withLock { s in
            s.pid = pid
            s.isStopping = false
            s.startedAt = .now
            s.lastExit = nil
        }
        watch(pid)
        logger.info("\(name) started", metadata: ["pid": "\(pid)"])
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if ready() { return }
            guard isRunning else { throw Failure(reason: "\(stoppedReason ?? "\(name) ended") while starting") }
            try? await Task.sleep(for: .milliseconds(20))
        }
        await stop()
        throw Failure(reason: "\(name) did not become ready within \(limit)")
    }

    /// Stops the daemon: SIGTERM, then SIGKILL if it is still there after two seconds.
    func stop() async {
        guard let pid = state.withLock({ s -> pid_t? in
            s.isStopping = true
            return s.pid
        }) else { return }
        try? Posix.kill(pid, SIGTERM)
        let deadline = ContinuousClock.now.advanced(by: .seconds(2))
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if isRunning {
            try? Posix.kill(pid, SIGKILL)
            while isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        }
        logger.info("\(name) stopped", metadata: ["pid": "\(pid)"])
    }

    /// Why a start failed.
    struct Failure: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// Reaps `pid` on a thread of its own (waitpid blocks).
    private func watch(_ pid: pid_t) {
        let thread = Thread { [self] in
            let ending = (try? Posix.wait(for: pid, blocking: true)) ?? .exited(status: -1)
            let backoff = state.withLock { s -> Duration? in
                s.pid = nil
                guard !s.isStopping else { return nil }
                s.lastExit = ending
                let ranFor = s.startedAt.map { $0.duration(to: .now) } ?? .zero
                s.youngDeaths = ranFor < Self.healthyRun ? s.youngDeaths + 1 : 0
                let pause = min(Self.maximumBackoff, .seconds(1 << min(s.youngDeaths, 5)))
                s.notBefore = ContinuousClock.now.advanced(by: pause)
                return pause
            }
            guard let backoff else { return }
            logger.error("\(name) ended on its own; it is started again after a pause", metadata: [
                "pid": "\(pid)", "exit": "\(ending)", "pause": "\(backoff)",
            ])
            Thread.sleep(forTimeInterval: Double(backoff.components.seconds))
            exited()
        }
        thread.name = "hy2scale-reaper"
        thread.start()
    }
}
