import AdminAPI
import Foundation
import Inbounds
import Routing

/// What the API reports about the inbounds: device sessions, and kicking them.
struct InboundRuntime: NodeRuntime {
    let gate: InboundGate

    func stats() async -> RuntimeStats { RuntimeStats() }
    func livePeers() async -> [LivePeer] { [] }
    func peers(of name: String) async throws -> [LivePeer] { throw NotConnected(name: name) }

    func sessions() async -> [DeviceSession] {
        let now = Int(Date().timeIntervalSince1970)
        return gate.sessions().map { device in
            DeviceSession(key: device.key, username: device.username, remote_ip: device.clientAddress,
                          protocol: device.inbound.rawValue, connect_at: Int(device.connectedAt),
                          duration: max(0, now - Int(device.connectedAt)), conn_count: device.flowCount,
                          tx_bytes: device.bytesToClient, rx_bytes: device.bytesFromClient)
        }
    }

    func kick(sessionKey: String) async -> Bool { gate.kick(sessionKey: sessionKey) }
}
