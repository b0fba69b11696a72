public import Addressing
public import NIOCore
import Routing
import WireFormat

/// One UDP relay message, carried whole in one QUIC DATAGRAM frame (Hysteria 2 §1.4). A payload
/// too large for one datagram travels as fragments sharing a random packet id; see
/// ``UDPFragmenter`` and ``UDPReassembler``.
public struct UDPMessage: Hashable, Sendable {
    public var sessionID: UInt32
    /// 0 when not fragmented; 1...65535 shared by the fragments of one packet.
    public var packetID: UInt16
    public var fragmentID: UInt8
    /// 1 when not fragmented.
    public var fragmentCount: UInt8
    /// The target (client to server) or the source (server to client).
    public var address: Target
    public var payload: ByteBuffer

    /// The fixed part of the header: session id, packet id, fragment id and count.
    static let fixedHeaderLength = 4 + 2 + 1 + 1

    public init(
        sessionID: UInt32, packetID: UInt16 = 0, fragmentID: UInt8 = 0, fragmentCount: UInt8 = 1,
        address: Target, payload: ByteBuffer
    ) {
        self.sessionID = sessionID
        self.packetID = packetID
        self.fragmentID = fragmentID
        self.fragmentCount = fragmentCount
        self.address = address
        self.payload = payload
    }

    /// Bytes before the payload.
    public var headerLength: Int { Self.fixedHeaderLength + HysteriaAddress.fieldLength(of: address) }

    /// Bytes of the whole datagram.
    public var encodedLength: Int { headerLength + payload.readableBytes }

    /// Appends the datagram; an empty payload is refused because receivers drop it.
    public func encode(into buffer: inout ByteBuffer) throws(HysteriaWireError) {
        guard payload.readableBytes > 0 else { throw .emptyPayload }
        buffer.reserveCapacity(minimumWritableBytes: encodedLength)
        buffer.writeInteger(sessionID)
        buffer.writeInteger(packetID)
        buffer.writeInteger(fragmentID)
        buffer.writeInteger(fragmentCount)
        try HysteriaAddress.write(address, to: &buffer)
        buffer.writeImmutableBuffer(payload)
    }

    /// Decodes one whole datagram (its readable bytes). The payload is a slice of it, not a copy.
    /// Fragment ids and counts are passed through as sent; ``UDPReassembler`` judges them.
    public init(decoding datagram: ByteBuffer) throws(HysteriaWireError) {
        var cursor = WireCursor(datagram)
        guard let sessionID = cursor.integer(as: UInt32.self),
              let packetID = cursor.integer(as: UInt16.self),
              let fragmentID = cursor.byte(),
              let fragmentCount = cursor.byte(),
              let address = try HysteriaAddress.read(from: &cursor)
        else { throw .truncatedDatagram(datagram.readableBytes) }
        guard let payload = cursor.slice(cursor.remaining), payload.readableBytes > 0 else { throw .emptyPayload }
        self.init(
            sessionID: sessionID, packetID: packetID, fragmentID: fragmentID, fragmentCount: fragmentCount,
            address: address, payload: payload)
    }
}
