import NIOCore

/// Puts fragmented UDP messages of one session back together (Hysteria 2 §1.4). Keep one per
/// session. Like the reference it holds a single packet in assembly: a fragment of another packet
/// (other packet id or fragment count) discards the partial one, since UDP may lose fragments and
/// waiting for them would only hold memory.
public struct UDPReassembler: Sendable {
    /// Default cap on buffered payload bytes: 255 fragments of 2048 bytes.
    public static let defaultMaximumBufferedBytes = UDPFragmenter.maximumFragments * 2048

    public let maximumBufferedBytes: Int
    private var packetID: UInt16 = 0
    private var pieces: [[UInt8]?] = []
    private var received = 0
    private var bufferedBytes = 0

    public init(maximumBufferedBytes: Int = Self.defaultMaximumBufferedBytes) {
        self.maximumBufferedBytes = maximumBufferedBytes
    }

    /// Payload bytes currently held for the packet in assembly.
    public var pendingBytes: Int { bufferedBytes }

    /// Feeds one received message. Returns it whole: at once when it is not fragmented, or, for a
    /// fragment, once all of its packet's fragments have arrived (payloads joined in fragment id
    /// order, header from this fragment, packet id 0). Returns `nil` while waiting and for
    /// fragments that are invalid, duplicates, or would exceed the memory cap (which also drops
    /// the partial packet).
    public mutating func add(_ message: UDPMessage) -> UDPMessage? {
        let count = Int(message.fragmentCount)
        if count == 1 { return message }
        guard count > 1, message.fragmentID < message.fragmentCount else { return nil }
        if message.packetID != packetID || count != pieces.count { start(message.packetID, count: count) }
        let index = Int(message.fragmentID)
        guard pieces[index] == nil else { return nil }
        let size = message.payload.readableBytes
        guard size <= maximumBufferedBytes - bufferedBytes else {
            reset()
            return nil
        }
        // Copied so the buffer behind the datagram is not kept alive while we wait.
        pieces[index] = Array(message.payload.readableBytesView)
        received += 1
        bufferedBytes += size
        guard received == count else { return nil }

        var payload = ByteBufferAllocator().buffer(capacity: bufferedBytes)
        for piece in pieces { payload.writeBytes(piece ?? []) }
        reset()
        var whole = message
        (whole.packetID, whole.fragmentID, whole.fragmentCount) = (0, 0, 1)
        whole.payload = payload
        return whole
    }

    private mutating func start(_ packetID: UInt16, count: Int) {
        self.packetID = packetID
        pieces = Array(repeating: nil, count: count)
        received = 0
        bufferedBytes = 0
    }

    private mutating func reset() {
        start(0, count: 0)
    }
}
