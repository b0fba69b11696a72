import Logging

/// A supervised `wireguard-go` child: the userspace WireGuard engine where the kernel has none.
/// It makes the device and serves its control socket; ``SupervisedProcess`` runs it.
final class WireGuardGo: Sendable {
    /// Where Debian's package (`wireguard-go`) and a hand install put it.
    static let searchPath = ["/usr/bin/wireguard-go", "/usr/sbin/wireguard-go", "/usr/local/bin/wireguard-go"]
    /// How long a start may take before the device answers on its control socket.
    static let startLimit: Duration = .seconds(5)

    let interface: String
    private let process: SupervisedProcess

    init(executable: String, interface: String, logger: Logger, exited: @escaping @Sendable () -> Void) {
        self.interface = interface
        process = SupervisedProcess(name: "wireguard-go", executable: executable, arguments: [interface],
                                    environment: ["WG_PROCESS_FOREGROUND": "1", "LOG_LEVEL": "error"], logger: logger, exited: exited)
    }

    /// The device's control socket; wireguard-go puts it in a directory every network namespace
    /// shares, which is why owned names must not collide.
    var socketPath: String { "/var/run/wireguard/\(interface).sock" }

    var isRunning: Bool { process.isRunning }

    /// Starts the engine and waits until its device answers.
    func start() async throws(WireGuardError) {
        do {
            try await process.start(within: Self.startLimit) { [self] in (try? exchange()) != nil }
        } catch {
            throw .engineFailed(error.reason)
        }
    }

    /// Stops the engine by its pid; its device goes with it.
    func stop() async { await process.stop() }

    /// Sends `request` (by default `get=1`) to the device's control socket and reads the answer.
    private func exchange(_ request: String = UAPIRequest.get) throws(UAPIError) -> WireGuardReport {
        try WireGuardReport.parse(uapi: UAPISocket.exchange(request, at: socketPath))
    }
}

extension WireGuardGo: WireGuardEngine {
    var name: String { "wireguard-go" }

    var stoppedReason: String? { process.stoppedReason }

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
