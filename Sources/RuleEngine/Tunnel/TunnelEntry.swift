import Addressing
import Foundation
import LinuxNet
import Logging
import Mesh
import NIOCore
import Routing
import Synchronization

/// The entry side of raw IP tunnels (`use_tun` rules, §9): the kernel routes the rules' targets
/// into device `hy2tun0`; each packet read there goes, framed, over a relay tunnel to the exit of
/// the first rule that holds its destination, and what the exit sends back is written into the
/// device as if it arrived on a link.
///
/// One tunnel per exit path, opened when its first packet comes; packets queue while it opens.
final class TunnelEntry: Sendable {
    static let deviceName = "hy2tun0"
    /// After a tunnel failed to open, packets for its path are dropped this long before trying
    /// again, so an exit that refuses is not asked once per packet.
    static let retryPause: Duration = .seconds(2)

    private struct State {
        var rules: [CaptureRule] = []
        var tunnels: [String: AsyncStream<ByteBuffer>.Continuation] = [:]
        var failedAt: [String: ContinuousClock.Instant] = [:]
    }

    let device: TunDevice
    private let mesh: MeshNode
    private let logger: Logger
    private let state = Mutex(State())

    init(rules: [CaptureRule], mesh: MeshNode, netlink: Rtnetlink, logger: Logger) throws {
        device = try TunDevice(name: Self.deviceName, netlink: netlink)
        // Replies arrive on the device from addresses routed elsewhere: no reverse-path check.
        try? Sysctl.setDevice(Self.deviceName, "rp_filter", to: "0")
        self.mesh = mesh
        self.logger = logger
        state.withLock { $0.rules = rules }
        PacketPump.readDevice(device, name: "hy2scale-\(Self.deviceName)") { [weak self] packet in
            self?.route(packet)
        }
    }

    var rules: [CaptureRule] { state.withLock { $0.rules } }

    /// Puts `rules` in force; tunnels to exits no rule uses any more end.
    func install(_ rules: [CaptureRule]) {
        let paths = Set(rules.compactMap(\.exit.paths.first))
        let ended = state.withLock { s -> [AsyncStream<ByteBuffer>.Continuation] in
            s.rules = rules
            let gone = s.tunnels.filter { !paths.contains($0.key) }
            for key in gone.keys { s.tunnels[key] = nil }
            return Array(gone.values)
        }
        for queue in ended { queue.finish() }
    }

    /// Closes the device and every tunnel.
    func close() {
        device.close()
        let queues = state.withLock { s in
            defer { s.tunnels = [:] }
            return Array(s.tunnels.values)
        }
        for queue in queues { queue.finish() }
    }

    private func route(_ packet: [UInt8]) {
        guard let bytes = PacketHeader.destination(of: packet), let destination = IPAddress(bytes: bytes) else { return }
        let buffer = ByteBuffer(bytes: packet)
        let now = ContinuousClock.now
        let opening = state.withLock { s -> String? in
            // "Only the single exit_via is honoured" (§9): a tunnel has one exit.
            guard let rule = s.rules.first(where: { $0.holds(destination) }), let path = rule.exit.paths.first else { return nil }
            if let queue = s.tunnels[path] {
                queue.yield(buffer)
                return nil
            }
            if let failed = s.failedAt[path], failed.duration(to: now) < Self.retryPause { return nil }
            let (packets, queue) = PacketPump.queue()
            queue.yield(buffer)
            s.tunnels[path] = queue
            open(path, sending: packets)
            return path
        }
        if let opening { logger.debug("opening raw IP tunnel", metadata: ["path": "\(opening)"]) }
    }

    /// Opens the tunnel of `path` and runs it until it ends; then the next packet opens another.
    private func open(_ path: String, sending packets: AsyncStream<ByteBuffer>) {
        // Bridge: packets arrive on the device's reader thread, with no task to own children; the
        // tunnel ends when its queue finishes (install, close) or the exit ends it.
        Task { [mesh, device, logger] in
            do {
                guard mesh.canTunnel(along: path) else { throw TunnelError.exitCannotTunnel(path) }
                let tunnel = try await mesh.openTunnel(along: path)
                logger.info("raw IP tunnel open", metadata: ["path": "\(path)"])
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await PacketPump.send(packets, over: tunnel) }
                    group.addTask {
                        await PacketPump.receive(from: tunnel, into: device)
                        tunnel.close()
                    }
                    await group.next()
                    group.cancelAll()
                }
                logger.info("raw IP tunnel ended", metadata: ["path": "\(path)"])
                forget(path, failed: false)
            } catch {
                logger.info("raw IP tunnel could not open", metadata: ["path": "\(path)", "error": "\(error)"])
                forget(path, failed: true)
            }
        }
    }

    private func forget(_ path: String, failed: Bool) {
        let queue = state.withLock { s in
            if failed { s.failedAt[path] = .now }
            return s.tunnels.removeValue(forKey: path)
        }
        queue?.finish()
    }
}

enum TunnelError: Error, CustomStringConvertible {
    case exitCannotTunnel(String)

    var description: String {
        switch self {
        case .exitCannotTunnel(let path): "the first hop of \(path) does not offer raw IP tunnels (it lacks `tun`)"
        }
    }
}
