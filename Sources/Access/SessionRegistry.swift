public import Routing
package import Synchronization

/// A client device's live flows, aggregated by user, address and protocol (reference §0.4).
public struct DeviceSnapshot: Sendable, Hashable {
    public var key: String
    public var username: String
    public var clientAddress: String
    public var inbound: InboundKind
    /// Seconds since 1970 when its first live flow started.
    public var connectedAt: Int64
    public var flowCount: Int
    /// Bytes received from the device.
    public var bytesFromClient: UInt64
    /// Bytes sent to the device.
    public var bytesToClient: UInt64
}

/// Live flows by device, and the devices kicked in the last minute.
///
/// Unlike v1.3, bytes are shown as they flow, not only when a connection closes.
package final class SessionRegistry: Sendable {
    /// How long a kicked device is refused (reference §0.4).
    package static let kickBlockSeconds: Int64 = 60

    private struct Device {
        var identity: Identity
        var connectedAt: Int64
        var flows: [UInt64: FlowTicket] = [:]
        /// Bytes of the device's flows that have ended; live flows count their own.
        var endedFromClient: UInt64 = 0
        var endedToClient: UInt64 = 0
    }

    private struct State {
        var devices: [String: Device] = [:]
        var blockedUntil: [String: Int64] = [:]
        /// Flows in `devices`, all devices together.
        var liveFlows = 0
        /// The most flows there were at once since ``takeHighWater()`` last ran.
        var highWater = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// Adds `ticket` to its device; refused while the device is blocked after a kick.
    package func register(_ ticket: FlowTicket, at now: Int64) throws(AuthRefusal) {
        let key = ticket.sessionKey
        let admitted = state.withLock { s -> Bool in
            if let until = s.blockedUntil[key] {
                if now < until { return false }
                s.blockedUntil[key] = nil
            }
            if s.devices[key, default: Device(identity: ticket.identity, connectedAt: now)].flows.updateValue(ticket, forKey: ticket.id) == nil {
                s.liveFlows += 1
                s.highWater = max(s.highWater, s.liveFlows)
            }
            return true
        }
        guard admitted else { throw .blocked }
    }

    package func unregister(_ ticket: FlowTicket) {
        let key = ticket.sessionKey
        state.withLock { s in
            guard s.devices[key]?.flows.removeValue(forKey: ticket.id) != nil else { return }
            s.liveFlows -= 1
            if s.devices[key]?.flows.isEmpty ?? false {
                s.devices[key] = nil
            } else {
                s.devices[key]?.endedFromClient &+= ticket.bytesFromClient.load(ordering: .relaxed)
                s.devices[key]?.endedToClient &+= ticket.bytesToClient.load(ordering: .relaxed)
            }
        }
    }

    /// How many flows are registered now.
    package var flowCount: Int { state.withLock { $0.liveFlows } }

    /// The most flows there were at once since the last call (or the start); starts the next
    /// period at the count of now. A spike that came and went between two calls still shows.
    package func takeHighWater() -> Int {
        state.withLock { s in
            defer { s.highWater = s.liveFlows }
            return s.highWater
        }
    }

    /// Ends every flow of the device `key` and refuses it for a minute; false if it has none.
    package func kick(key: String, at now: Int64) -> Bool {
        let flows = state.withLock { s -> [FlowTicket]? in
            guard let device = s.devices.removeValue(forKey: key) else { return nil }
            s.liveFlows -= device.flows.count
            s.blockedUntil[key] = now + Self.kickBlockSeconds
            return Array(device.flows.values)
        }
        guard let flows else { return false }
        for flow in flows { flow.end() }
        return true
    }

    /// Ends the live flows `shouldEnd` picks (no block); returns how many.
    @discardableResult
    package func end(where shouldEnd: (FlowTicket) -> Bool) -> Int {
        let flows = state.withLock { s in s.devices.values.flatMap { $0.flows.values.filter(shouldEnd) } }
        for flow in flows { flow.end() }
        return flows.count
    }

    /// Whether a device of `username` on `inbound` is refused after a kick at `now`.
    package func isBlocked(username: String, inbound: InboundKind, at now: Int64) -> Bool {
        state.withLock { s in
            s.blockedUntil.contains { key, until in
                until > now && key.hasPrefix(username + "|") && key.hasSuffix("|" + inbound.rawValue)
            }
        }
    }

    package func devices() -> [DeviceSnapshot] {
        state.withLock { s in
            s.devices.map { key, device in
                DeviceSnapshot(key: key, username: device.identity.username,
                               clientAddress: device.identity.clientAddress, inbound: device.identity.inbound,
                               connectedAt: device.connectedAt, flowCount: device.flows.count,
                               bytesFromClient: device.flows.values.reduce(device.endedFromClient) { $0 &+ $1.bytesFromClient.load(ordering: .relaxed) },
                               bytesToClient: device.flows.values.reduce(device.endedToClient) { $0 &+ $1.bytesToClient.load(ordering: .relaxed) })
            }.sorted { $0.key < $1.key }
        }
    }

    /// Forgets blocks that have run out; returns how many.
    @discardableResult
    package func pruneBlocks(at now: Int64) -> Int {
        state.withLock { s in
            let before = s.blockedUntil.count
            s.blockedUntil = s.blockedUntil.filter { $0.value > now }
            return before - s.blockedUntil.count
        }
    }
}
