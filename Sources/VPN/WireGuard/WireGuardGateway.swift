import Addressing
import Glibc
public import LinuxNet
public import Logging
import Synchronization

/// The WireGuard device `hy2wg0` and the engine behind it: what the driver reads and changes,
/// and what the API asks for live figures.
///
/// The engine is a supervised `wireguard-go` (userspace); the device it makes is a TUN
/// interface whose decrypted packets the capture table hands to the transparent listeners.
public final class WireGuardGateway: Sendable {
    /// The device's name (owned names begin with `hy2`).
    public static let deviceName = "hy2wg0"

    private let netlink: Rtnetlink
    private let logger: Logger
    private let engine: WireGuardGo?
    private let lastFailure = Mutex<String?>(nil)

    /// - Parameters:
    ///   - exited: called when the engine ended on its own (after its backoff): the reconciler
    ///     should run, and will start it again.
    ///   - executable: `wireguard-go`; `nil` when it is not installed.
    public init(netlink: Rtnetlink, logger: Logger, executable: String? = WireGuardGateway.installedEngine(),
                exited: @escaping @Sendable () -> Void) {
        self.netlink = netlink
        self.logger = logger
        engine = executable.map { WireGuardGo(executable: $0, interface: Self.deviceName, logger: logger, exited: exited) }
    }

    /// The first executable `wireguard-go` of ``WireGuardGo/searchPath``; `nil` when none is installed.
    public static func installedEngine() -> String? { WireGuardGo.searchPath.first { access($0, X_OK) == 0 } }

    /// The engine this host runs; `nil` when it has none.
    public var backend: String? { engine == nil ? nil : "wireguard-go" }

    /// The device and peers as they are; empty when there is no device.
    func observe() throws(WireGuardError) -> [WireGuardResource] {
        let link: LinkState?
        do {
            link = try netlink.link(named: Self.deviceName)
        } catch {
            throw .device("cannot read interface \(Self.deviceName): \(error)")
        }
        guard let link else { return [] }
        guard let engine, let report = try? engine.ask() else {
            // A device nobody answers for (a hand-made one, or an engine gone wrong): reported
            // as it can never be wanted, so the plan replaces it.
            return [.device(.unanswered)]
        }
        let addresses = (try? netlink.addresses(of: link)) ?? []
        var device = WireGuardSpec.DeviceSpec(privateKey: report.privateKey ?? .zero, listenPort: report.listenPort,
                                              addresses: addresses, mtu: link.mtu)
        device.isUp = link.isUp
        return [.device(device)] + report.peers.map { .peer(WireGuardSpec.PeerSpec(publicKey: $0.publicKey, allowedIPs: $0.allowedIPs,
                                                                                 keepalive: $0.keepalive)) }
    }

    /// Starts the engine and configures its device.
    func create(_ device: WireGuardSpec.DeviceSpec) async throws(WireGuardError) {
        guard let engine else { throw .unavailable(Self.noEngine) }
        if (try? netlink.link(named: Self.deviceName)) != nil { await removeDevice() }
        try await engine.start()
        try configure(device, from: nil)
    }

    /// Changes the device in place: its peers and their sessions stay.
    func update(from old: WireGuardSpec.DeviceSpec, to new: WireGuardSpec.DeviceSpec) async throws(WireGuardError) {
        guard engine?.isRunning == true, old != .unanswered else {
            try await create(new)
            return
        }
        try configure(new, from: old)
    }

    /// Stops the engine; its device goes with it.
    func delete() async {
        await removeDevice()
    }

    /// Adds `peer`, or brings its allowed IPs and keepalive to the spec.
    func set(_ peer: WireGuardSpec.PeerSpec) throws(WireGuardError) {
        try send(UAPIRequest.set(peer))
    }

    /// Removes the peer with `key`; nothing to do when the device is gone.
    func remove(_ key: WireGuardKey) throws(WireGuardError) {
        guard engine?.isRunning == true else { return }
        try send(UAPIRequest.remove(key))
    }

    /// Records why the last change failed, for ``status()``; `nil` after a success.
    func record(failure: String?) { lastFailure.withLock { $0 = failure } }

    /// The engine and the peers' live figures.
    public func status() -> WireGuardStatus {
        guard let engine else { return WireGuardStatus(backend: nil, isRunning: false, reason: Self.noEngine) }
        guard engine.isRunning, let report = try? engine.ask() else {
            let reason = lastFailure.withLock { $0 } ?? engine.lastExit.map { "wireguard-go \($0)" }
            return WireGuardStatus(backend: backend, isRunning: false, reason: reason)
        }
        return WireGuardStatus(backend: backend, isRunning: true, reason: nil, peers: report.peers)
    }

    static let noEngine = "no WireGuard engine on this host: install the Debian package wireguard-go (this kernel's WireGuard is not used yet)"

    private func configure(_ device: WireGuardSpec.DeviceSpec, from old: WireGuardSpec.DeviceSpec?) throws(WireGuardError) {
        if old?.privateKey != device.privateKey || old?.listenPort != device.listenPort {
            try send(UAPIRequest.configure(device))
        }
        do {
            let present = Set(old?.addresses ?? [])
            for address in device.addresses where !present.contains(address) {
                try netlink.add(address, toLink: Self.deviceName)
            }
            for address in present.subtracting(device.addresses) {
                try netlink.delete(address, fromLink: Self.deviceName)
            }
            if old?.mtu != device.mtu || old?.isUp != true {
                try netlink.setLink(Self.deviceName, up: true, mtu: device.mtu)
            }
        } catch {
            throw .device("cannot set up \(Self.deviceName): \(error)")
        }
    }

    private func send(_ request: String) throws(WireGuardError) {
        guard let engine, engine.isRunning else { throw .device("\(Self.deviceName) is not running") }
        do {
            _ = try engine.ask(request)
        } catch {
            throw .device("\(Self.deviceName): \(error)")
        }
    }

    /// Stops the engine by its pid, and deletes the device if it outlived it (one made by hand,
    /// or by an engine this node did not start).
    private func removeDevice() async {
        await engine?.stop()
        if (try? netlink.link(named: Self.deviceName)) != nil {
            do {
                try netlink.deleteLink(named: Self.deviceName)
            } catch {
                logger.error("cannot delete the WireGuard device", metadata: ["device": "\(Self.deviceName)", "error": "\(error)"])
            }
        }
    }
}

extension WireGuardSpec.DeviceSpec {
    /// How a device that does not answer on its control socket is observed: a spec no config
    /// produces (port 0, no address, MTU 0, down), so the plan always replaces it.
    static let unanswered = {
        var device = WireGuardSpec.DeviceSpec(privateKey: .zero, listenPort: 0, addresses: [], mtu: 0)
        device.isUp = false
        return device
    }()
}

extension WireGuardKey {
    static let zero = WireGuardKey(unchecked: [UInt8](repeating: 0, count: 32))
}
