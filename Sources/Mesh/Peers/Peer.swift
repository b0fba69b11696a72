import MeshWire
import Hysteria
import QUIC
import Synchronization

/// One live relay session with another node: what it announced, how to reach it, and its
/// health and traffic figures.
final class Peer: Sendable {
    /// How streams reach the peer.
    enum Link: Sendable {
        /// We dialled it: streams open on our Hysteria 2 client.
        case outbound(HysteriaClient)
        /// It dialled us: requests go over the control stream it opened (§4.1).
        case inbound(InboundLink)
    }

    let name: String
    let direction: PeerDirection
    let metadata: NodeMetadata
    /// Register flag bit 0; known only for inbound peers (§2.2).
    let isExitNode: Bool
    /// A plain Hysteria 2 server: a one-hop exit without relay features (§2.2).
    let isNative: Bool
    /// The `clients[]` name we dialled it under, which may differ from the name it announced.
    let clientLabel: String?
    /// The configured address the session's connection went to (outbound peers).
    let address: String?
    /// Further connections to other addresses of the same peer, which share its streams.
    private let extras = Mutex<[String: (client: HysteriaClient, latency: Int)]>([:])
    private let nextClient = Atomic<Int>(0)
    let link: Link
    /// Ends the session (closes its connection or register stream).
    let end: @Sendable () -> Void
    /// Milliseconds: 0 never measured, −1 the last probe failed with no earlier good value.
    private let latency = Mutex(0)
    let sentBytes = Atomic<UInt64>(0)
    let receivedBytes = Atomic<UInt64>(0)

    init(name: String, direction: PeerDirection, metadata: NodeMetadata, isExitNode: Bool = false,
         isNative: Bool = false, clientLabel: String? = nil, address: String? = nil, link: Link,
         end: @escaping @Sendable () -> Void) {
        self.name = name
        self.direction = direction
        self.metadata = metadata
        self.isExitNode = isExitNode
        self.isNative = isNative
        self.clientLabel = clientLabel
        self.address = address
        self.link = link
        self.end = end
    }

    /// Whether its version is one we relay with (§2.6); a native server has no version and is an
    /// exit only.
    var isCompatible: Bool { isNative || metadata.isCompatible }

    /// Its wire generation is newer than ours (display only, §2.6).
    var isUnsupported: Bool { metadata.protocolVersion > MeshWireLimits.protocolVersion }

    var latencyMilliseconds: Int { latency.withLock { $0 } }

    /// Records a probe: a success replaces the value; a failure shows −1 only when nothing good
    /// was measured before (§3.6).
    func record(latency milliseconds: Int?) {
        latency.withLock { current in
            if let milliseconds { current = max(1, milliseconds) } else if current <= 0 { current = -1 }
        }
    }

    func count(sent: UInt64, received: UInt64) {
        if sent > 0 { sentBytes.add(sent, ordering: .relaxed) }
        if received > 0 { receivedBytes.add(received, ordering: .relaxed) }
    }

    /// Adds, refreshes (`latency` in ms) or, with `nil`, drops the extra connection to `address`.
    func setExtra(_ client: HysteriaClient?, latency: Int = 0, at address: String) {
        extras.withLock { $0[address] = client.map { ($0, latency) } }
    }

    /// The client a new outbound stream goes on: the session's and the live extra connections,
    /// round robin (§6).
    func streamClient(after primary: HysteriaClient) -> HysteriaClient {
        let clients = [primary] + extras.withLock { extras in extras.keys.sorted().compactMap { extras[$0]?.client } }
        return clients[nextClient.add(1, ordering: .relaxed).oldValue % clients.count]
    }

    /// Live extra addresses and their latency.
    var extraLatencies: [String: Int] { extras.withLock { $0.mapValues(\.latency) } }

    /// The inbound link's QUIC connection, or our client's.
    var connection: QUICConnection {
        switch link {
        case .outbound(let client): client.connection
        case .inbound(let link): link.connection
        }
    }
}
