import CNgtcp2

/// A QUIC connection ID as a dictionary key: the endpoint routes each received packet to its
/// connection by the packet's destination connection ID.
struct ConnectionID: Hashable {
    /// Length of the connection IDs a server issues; short-header packets are parsed with it.
    static let serverLength = 18

    private(set) var bytes: [UInt8]

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = Array(bytes)
    }

    init(_ cid: ngtcp2_cid) {
        var cid = cid
        bytes = withUnsafeBytes(of: &cid.data) { Array($0.prefix(cid.datalen)) }
    }

    /// A fresh random ID of `length` bytes.
    static func random(length: Int) -> ConnectionID {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { bytes in
            NgtcpCallbacks.fillRandom(bytes)
            return ConnectionID(UnsafeBufferPointer(bytes))
        }
    }

    /// The ID in ngtcp2's representation.
    var cid: ngtcp2_cid {
        var cid = ngtcp2_cid()
        bytes.withUnsafeBufferPointer { ngtcp2_cid_init(&cid, $0.baseAddress, $0.count) }
        return cid
    }
}
