public import LinuxNet
public import Logging
public import Mesh
import NIOCore
import Synchronization

/// The exit side of raw IP tunnels (§9): each tunnel a peer opens gets a TUN device
/// `hy2exit<k>`; its packets are forwarded into the host's network and masqueraded, and replies
/// find their way back into the same device by the connection mark its packets left.
///
/// The kernel state of a live tunnel (policy route, marks, masquerade) is part of the desired
/// state: a tunnel that opens or ends asks for a reconcile, which adds or removes it.
public final class TunnelExits: PacketTunnelExit {
    /// Tunnels at once; v1.3 numbered its devices modulo 100.
    public static let capacity = 100

    private let netlink: Rtnetlink
    private let logger: Logger
    private let live = Mutex<(slots: Set<Int>, forwardingWasOff: Bool)>(([], false))
    private let changed: @Sendable () -> Void

    /// - Parameter changed: asks for a reconcile, so the kernel state follows the live tunnels.
    public init(netlink: Rtnetlink, logger: Logger, changed: @escaping @Sendable () -> Void) {
        self.netlink = netlink
        self.logger = logger
        self.changed = changed
    }

    /// The numbers of the live tunnels, for the desired state.
    public var slots: Set<Int> { live.withLock { $0.slots } }

    /// The device of tunnel `slot`.
    public static func deviceName(_ slot: Int) -> String { "hy2exit\(slot)" }

    public func serve(_ tunnel: PacketTunnel, origin: String) async {
        guard let slot = claimSlot() else {
            logger.notice("raw IP tunnel refused: every slot is in use", metadata: ["origin": "\(origin)"])
            return tunnel.close()
        }
        let name = Self.deviceName(slot)
        defer {
            release(slot)
            changed()
        }
        let device: TunDevice
        do {
            device = try TunDevice(name: name, netlink: netlink)
            try Sysctl.setDevice(name, "forwarding", to: "1")
            try Sysctl.setDevice(name, "rp_filter", to: "0")
        } catch {
            logger.notice("raw IP tunnel refused: no device", metadata: ["origin": "\(origin)", "error": "\(error)"])
            return tunnel.close()
        }
        changed()
        logger.info("raw IP tunnel from a peer", metadata: ["origin": "\(origin)", "device": "\(name)"])
        let (packets, queue) = PacketPump.queue()
        await withDiscardingTaskGroup { group in
            group.addTask { await PacketPump.send(packets, over: tunnel) }
            PacketPump.readDevice(device, name: "hy2scale-\(name)") { packet in
                queue.yield(ByteBuffer(bytes: packet))
            }
            await PacketPump.receive(from: tunnel, into: device)
            device.close()
            queue.finish()
        }
        logger.info("raw IP tunnel ended", metadata: ["origin": "\(origin)", "device": "\(name)"])
    }

    /// A free slot; the first one turns IPv4 forwarding on, since replies to a tunnel's packets
    /// arrive on the host's other interfaces and must be forwarded into its device.
    private func claimSlot() -> Int? {
        live.withLock { live in
            guard let free = (0..<Self.capacity).first(where: { !live.slots.contains($0) }) else { return nil }
            if live.slots.isEmpty, !Sysctl.ipv4Forwarding {
                do {
                    try Sysctl.setIPv4Forwarding(true)
                    live.forwardingWasOff = true
                } catch {
                    logger.warning("cannot turn IPv4 forwarding on; tunnel replies will not return", metadata: ["error": "\(error)"])
                }
            }
            live.slots.insert(free)
            return free
        }
    }

    /// Frees `slot`; the last one puts forwarding back as it found it.
    private func release(_ slot: Int) {
        live.withLock { live in
            live.slots.remove(slot)
            if live.slots.isEmpty, live.forwardingWasOff {
                try? Sysctl.setIPv4Forwarding(false)
                live.forwardingWasOff = false
            }
        }
    }
}
