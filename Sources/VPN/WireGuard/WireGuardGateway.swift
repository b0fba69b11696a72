import Addressing
import Glibc
public import LinuxNet
public import Logging
import Synchronization

/// The WireGuard device `hy2wg0` and the engine behind it: what the driver reads and changes,
/// and what the API asks for live figures.
///
/// The engine is the kernel's WireGuard when this kernel has it, else a supervised
/// `wireguard-go`; it is chosen when first needed, so a node without WireGuard in its config
/// never probes. Either way the device's decrypted packets go to the capture table, which hands
/// them to the transparent listeners.
public final class WireGuardGateway: Sendable {
    /// The device's name (owned names begin with `hy2`).
    public static let deviceName = "hy2wg0"

    private let netlink: Rtnetlink
    private let logger: Logger
    private let userspace: WireGuardGo?
    private let chosen = Mutex<(any WireGuardEngine)?>(nil)
    private let lastFailure = Mutex<String?>(nil)

    /// - Parameters:
    ///   - exited: called when `wireguard-go` ended on its own (after its backoff): the
    ///     reconciler should run, and will start it again.
    ///   - executable: `wireguard-go`; `nil` when it is not installed.
    public init(netlink: Rtnetlink, logger: Logger, executable: String? = WireGuardGateway.installedEngine(),
                exited: @escaping @Sendable () -> Void) {
        self.netlink = netlink
        self.logger = logger
        userspace = executable.map { WireGuardGo(executable: $0, interface: Self.deviceName, logger: logger, exited: exited) }
    }

    /// The first executable `wireguard-go` of ``WireGuardGo/searchPath``; `nil` when none is installed.
    public static func installedEngine() -> String? { WireGuardGo.searchPath.first { access($0, X_OK) == 0 } }

    /// The engine this host runs, `kernel` or `wireguard-go`; `nil` when it has none.
    public var backend: String? { engine?.name }

    /// The kernel's engine when the kernel has WireGuard, else `wireguard-go` when installed;
    /// asked again while neither is there.
    private var engine: (any WireGuardEngine)? {
        chosen.withLock { chosen in
            if chosen == nil {
                chosen = KernelWireGuard.probe(interface: Self.deviceName, netlink: netlink) ?? userspace
                if let chosen { logger.info("WireGuard engine chosen", metadata: ["backend": "\(chosen.name)"]) }
            }
            return chosen
        }
    }

    /// The device and peers as they are; empty when there is no device.
    func observe() throws(WireGuardError) -> [WireGuardResource] {
        let link: LinkState?
        do {
            link = try netlink.link(named: Self.deviceName)
        } catch {
            throw .device("cannot read interface \(Self.deviceName): \(error)")
        }
        guard let link else { return [] }
        guard let engine, let report = try? engine.report() else {
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

    /// Makes the device and configures it.
    func create(_ device: WireGuardSpec.DeviceSpec) async throws(WireGuardError) {
        guard let engine else { throw .unavailable(Self.noEngine) }
        if (try? netlink.link(named: Self.deviceName)) != nil { await removeDevice() }
        try await engine.start()
        try configure(device, from: nil, on: engine)
    }

    /// Changes the device in place: its peers and their sessions stay.
    func update(from old: WireGuardSpec.DeviceSpec, to new: WireGuardSpec.DeviceSpec) async throws(WireGuardError) {
        guard let engine, engine.isRunning, old != .unanswered else {
            try await create(new)
            return
        }
        try configure(new, from: old, on: engine)
    }

    /// Removes the device (and stops `wireguard-go`).
    func delete() async {
        await removeDevice()
    }

    /// Adds `peer`, or brings its allowed IPs and keepalive to the spec.
    func set(_ peer: WireGuardSpec.PeerSpec) throws(WireGuardError) {
        guard let engine else { throw .unavailable(Self.noEngine) }
        try engine.set(peer)
    }

    /// Removes the peer with `key`; nothing to do when the device is gone.
    func remove(_ key: WireGuardKey) throws(WireGuardError) {
        guard let engine, engine.isRunning else { return }
        try engine.remove(key)
    }

    /// Records why the last change failed, for ``status()``; `nil` after a success.
    func record(failure: String?) { lastFailure.withLock { $0 = failure } }

    /// The engine and the peers' live figures. Asking never chooses the engine (nor probes the
    /// kernel): before the server first ran, it reports nothing running.
    public func status() -> WireGuardStatus {
        guard let engine = chosen.withLock({ $0 }) else {
            return WireGuardStatus(backend: nil, isRunning: false, reason: lastFailure.withLock { $0 })
        }
        guard engine.isRunning, let report = try? engine.report() else {
            let reason = lastFailure.withLock { $0 } ?? engine.stoppedReason
            return WireGuardStatus(backend: engine.name, isRunning: false, reason: reason)
        }
        return WireGuardStatus(backend: engine.name, isRunning: true, reason: nil, peers: report.peers)
    }

    public static let noEngine = "no WireGuard engine on this host: the kernel has no WireGuard, and wireguard-go is not installed "
        + "(Debian package wireguard-go)"

    private func configure(_ device: WireGuardSpec.DeviceSpec, from old: WireGuardSpec.DeviceSpec?,
                           on engine: any WireGuardEngine) throws(WireGuardError) {
        if old?.privateKey != device.privateKey || old?.listenPort != device.listenPort {
            try engine.configure(device)
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

    /// Stops the engine, and deletes the device if it outlived it (one made by hand, or by an
    /// engine this node did not start).
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
