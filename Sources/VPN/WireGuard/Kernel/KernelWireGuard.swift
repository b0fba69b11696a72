import LinuxNet

/// The kernel's WireGuard: the device is a link of kind `wireguard`, configured over the
/// generic netlink family `wireguard`, as `wg` does it. Nothing to supervise: the device lives
/// until it is deleted.
final class KernelWireGuard: WireGuardEngine {
    let name = "kernel"
    private let interface: String
    private let netlink: Rtnetlink
    private let generic: GenericNetlink
    private let family: UInt16

    private init(interface: String, netlink: Rtnetlink, generic: GenericNetlink, family: UInt16) {
        self.interface = interface
        self.netlink = netlink
        self.generic = generic
        self.family = family
    }

    /// The kernel's engine when this kernel has WireGuard; `nil` otherwise.
    ///
    /// The family is registered once the module is loaded, and the kernel loads it on demand
    /// when a link of its kind is made: so a kernel without the family is asked for a
    /// throwaway device (`hy2wgprobe`) first.
    static func probe(interface: String, netlink: Rtnetlink) -> KernelWireGuard? {
        guard let generic = try? GenericNetlink() else { return nil }
        func found() -> KernelWireGuard? {
            guard let id = try? generic.family(named: WireGuardNetlink.family) else { return nil }
            return KernelWireGuard(interface: interface, netlink: netlink, generic: generic, family: id)
        }
        if let engine = found() { return engine }
        let probe = OwnedNames.interfacePrefix + "wgprobe"
        try? netlink.deleteLink(named: probe)  // one a stopped probe left behind
        guard (try? netlink.addLink(named: probe, kind: "wireguard")) != nil else { return nil }
        try? netlink.deleteLink(named: probe)
        return found()
    }

    var isRunning: Bool { (try? report()) != nil }

    var stoppedReason: String? { nil }

    func start() async throws(WireGuardError) {
        do {
            try netlink.addLink(named: interface, kind: "wireguard")
        } catch {
            throw .engineFailed("cannot make the WireGuard device \(interface): \(error)")
        }
    }

    func stop() async {
        try? netlink.deleteLink(named: interface)  // gone already: nothing to stop
    }

    func report() throws(WireGuardError) -> WireGuardReport {
        try WireGuardReport(netlink: ask(WireGuardNetlink.getDevice, WireGuardNetlink.get(interface), dump: true))
    }

    func configure(_ device: WireGuardSpec.DeviceSpec) throws(WireGuardError) {
        _ = try ask(WireGuardNetlink.setDevice, WireGuardNetlink.configure(interface, device))
    }

    func set(_ peer: WireGuardSpec.PeerSpec) throws(WireGuardError) {
        _ = try ask(WireGuardNetlink.setDevice, WireGuardNetlink.set(interface, peer))
    }

    func remove(_ key: WireGuardKey) throws(WireGuardError) {
        _ = try ask(WireGuardNetlink.setDevice, WireGuardNetlink.remove(interface, key))
    }

    private func ask(_ command: UInt8, _ attributes: NetlinkAttributes.Builder, dump: Bool = false) throws(WireGuardError) -> [NetlinkAttributes] {
        do {
            return try generic.request(family: family, command: command, version: WireGuardNetlink.version, dump: dump,
                                       attributes: attributes)
        } catch {
            throw .device("\(interface): \(error)")
        }
    }
}
