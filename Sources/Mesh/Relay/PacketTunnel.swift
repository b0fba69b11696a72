public import MeshWire
public import NIOCore
public import QUIC

/// A raw IP tunnel over one relay stream (`_relay_iptun_<origin>`, §9): whole IP packets in
/// `u16`-length frames both ways, no handshake. An empty frame or the stream's end closes it.
public final class PacketTunnel: Sendable {
    /// One IP packet never exceeds a frame: the frame's length field is 16 bits.
    public static let maximumPacket = DatagramFrame.maximumLength

    private let stream: QUICStream
    private let reader: StreamReaderBox
    /// Counts the tunnel's traffic where the mesh counts its peers'.
    private let count: @Sendable (_ sent: Int, _ received: Int) -> Void

    init(stream: QUICStream, leftover: ByteBuffer, count: @escaping @Sendable (Int, Int) -> Void) {
        self.stream = stream
        reader = StreamReaderBox(StreamReader(stream, leftover: leftover))
        self.count = count
    }

    /// The next packet; `nil` once the far side ended the tunnel.
    /// - Throws: the stream's errors. Call from one task at a time.
    public func receive() async throws -> ByteBuffer? {
        do {
            let packet = try await reader.next()
            guard packet.readableBytes > 0 else { return nil }
            count(0, packet.readableBytes + 2)
            return packet
        } catch MeshStreamError.endedEarly {
            return nil
        }
    }

    /// Sends one packet; a packet too long for a frame is dropped, as a link would.
    public func send(_ packet: ByteBuffer) async throws {
        var frame = ByteBuffer()
        frame.reserveCapacity(packet.readableBytes + 2)
        guard (try? DatagramFrame.encode(packet, into: &frame)) != nil else { return }
        count(frame.readableBytes, 0)
        try await stream.write(frame)
    }

    /// Ends the tunnel in both directions.
    public func close() {
        stream.resetNow()
    }
}

/// The stream reader of one tunnel, read from one task at a time.
private final class StreamReaderBox: @unchecked Sendable {
    // Only ``PacketTunnel/receive()`` touches it, and its contract is one reader at a time.
    private var reader: StreamReader

    init(_ reader: StreamReader) { self.reader = reader }

    func next() async throws -> ByteBuffer {
        try await reader.next("tunnel packet", limit: PacketTunnel.maximumPacket + 2, decode: DatagramFrame.decode)
    }
}
