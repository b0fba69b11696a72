/// Turns the device's per-peer byte counters, which start again from zero with each engine (and
/// with a peer taken off and put back), into increments to add to lasting totals.
public struct PeerTrafficMeter: Sendable {
    /// Bytes since the last reading.
    public struct Increment: Hashable, Sendable {
        public var publicKey: WireGuardKey
        public var received: UInt64
        public var sent: UInt64
    }

    private var last: [WireGuardKey: (received: UInt64, sent: UInt64)] = [:]

    public init() {}

    /// What each peer moved since the last reading: the difference, or the whole count when it
    /// went down (the counter started again). Peers no longer reported are forgotten.
    public mutating func increments(_ peers: [WireGuardReport.Peer]) -> [Increment] {
        var seen: [WireGuardKey: (received: UInt64, sent: UInt64)] = [:]
        var increments: [Increment] = []
        for peer in peers {
            let before = last[peer.publicKey] ?? (0, 0)
            let received = peer.receivedBytes >= before.received ? peer.receivedBytes - before.received : peer.receivedBytes
            let sent = peer.sentBytes >= before.sent ? peer.sentBytes - before.sent : peer.sentBytes
            seen[peer.publicKey] = (peer.receivedBytes, peer.sentBytes)
            if received > 0 || sent > 0 { increments.append(Increment(publicKey: peer.publicKey, received: received, sent: sent)) }
        }
        last = seen
        return increments
    }
}
