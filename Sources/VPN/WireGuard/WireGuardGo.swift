import Foundation
import Glibc
import Logging
import Synchronization
import SystemCalls

/// A supervised `wireguard-go` child: the userspace WireGuard engine where the kernel has none.
///
/// It runs in the foreground, in a session of its own, and is stopped by its pid. A watcher
/// thread reaps it; an exit nobody asked for is logged and, after a backoff that grows while it
/// keeps dying young, reported through `exited` so the reconciler starts it again.
final class WireGuardGo: Sendable {
    /// Where Debian's package (`wireguard-go`) and a hand install put it.
    static let searchPath = ["/usr/bin/wireguard-go", "/usr/sbin/wireguard-go", "/usr/local/bin/wireguard-go"]
    /// How long a start may take before the device answers on its control socket.
    static let startLimit: Duration = .seconds(5)
    /// A run shorter than this counts as dying young, and doubles the next backoff.
    static let healthyRun: Duration = .seconds(30)
    static let maximumBackoff: Duration = .seconds(30)

    let executable: String
    let interface: String
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

    init(executable: String, interface: String, logger: Logger, exited: @escaping @Sendable () -> Void) {
        self.executable = executable
        self.interface = interface
        self.logger = logger
        self.exited = exited
    }

    /// The device's control socket; wireguard-go puts it in a directory every network namespace
    /// shares, which is why owned names must not collide.
    var socketPath: String { "/var/run/wireguard/\(interface).sock" }

    var isRunning: Bool { state.withLock { $0.pid != nil } }

    /// Sends `request` (by default `get=1`) to the device's control socket and reads the answer.
    private func exchange(_ request: String = UAPIRequest.get) throws(UAPIError) -> WireGuardReport {
        try WireGuardReport.parse(uapi: UAPISocket.exchange(request, at: socketPath))
    }

    /// How the last run ended, when it ended on its own.
    var lastExit: ChildExit? { state.withLock { $0.lastExit } }

    /// Starts the engine and waits until its device answers.
    func start() async throws(WireGuardError) {
        if let notBefore = state.withLock({ $0.notBefore }), ContinuousClock.now < notBefore {
            throw .engineFailed("wireguard-go \(lastExit.map { "\($0)" } ?? "ended"); started again after a pause")
        }
        let pid: pid_t
        do {
            pid = try Posix.spawn(executable, [interface], environment: [
                "WG_PROCESS_FOREGROUND": "1", "LOG_LEVEL": "error", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            ])
        } catch {
            throw .engineFailed("cannot start \(executable): \(error.reason)")
        }
        state.withLock { s in
            s.pid = pid
            s.isStopping = false
            s.startedAt = .now
            s.lastExit = nil
        }
        watch(pid)
        logger.info("wireguard-go started", metadata: ["pid": "\(pid)", "device": "\(interface)"])
        let deadline = ContinuousClock.now.advanced(by: Self.startLimit)
        while ContinuousClock.now < deadline {
            if (try? exchange()) != nil { return }
            guard isRunning else { throw .engineFailed("wireguard-go \(lastExit.map { "\($0)" } ?? "ended") while starting") }
            try? await Task.sleep(for: .milliseconds(20))
        }
        await stop()
        throw .engineFailed("wireguard-go did not open \(socketPath) within \(Self.startLimit)")
    }

    /// Stops the engine: SIGTERM, then SIGKILL if it is still there after two seconds.
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
        logger.info("wireguard-go stopped", metadata: ["pid": "\(pid)"])
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
            logger.error("wireguard-go ended on its own; it is started again after a pause", metadata: [
                "pid": "\(pid)", "exit": "\(ending)", "pause": "\(backoff)",
            ])
            Thread.sleep(forTimeInterval: Double(backoff.components.seconds))
            exited()
        }
        thread.name = "hy2scale-wg-reaper"
        thread.start()
    }
}

extension WireGuardGo: WireGuardEngine {
    var name: String { "wireguard-go" }

    var stoppedReason: String? { lastExit.map { "wireguard-go \($0)" } }

    /// Asks the control socket even when this process did not start the engine (`plan` reads
    /// the running node's device this way).
    func report() throws(WireGuardError) -> WireGuardReport { try answer(to: UAPIRequest.get) }

    private func answer(to request: String) throws(WireGuardError) -> WireGuardReport {
        do {
            return try exchange(request)
        } catch {
            throw .device("\(interface): \(error)")
        }
    }

    func configure(_ device: WireGuardSpec.DeviceSpec) throws(WireGuardError) { _ = try send(UAPIRequest.configure(device)) }

    func set(_ peer: WireGuardSpec.PeerSpec) throws(WireGuardError) { _ = try send(UAPIRequest.set(peer)) }

    func remove(_ key: WireGuardKey) throws(WireGuardError) { _ = try send(UAPIRequest.remove(key)) }

    private func send(_ request: String) throws(WireGuardError) -> WireGuardReport {
        guard isRunning else { throw .device("\(interface) is not running") }
        return try answer(to: request)
    }
}
