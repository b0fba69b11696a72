/// Sends ``NftOperation``s to the kernel as one nftables transaction.
public enum NftBatch {
    /// Encodes `operations` between batch begin and end, sends them in one `sendto`, and waits
    /// for the kernel's verdict on each. An empty list sends nothing.
    /// - Throws: ``NftBatchError`` listing each refused message with its errno (the kernel then
    ///   applied nothing), or ``NetlinkError`` when the exchange itself failed.
    public static func send(_ operations: [NftOperation], through socket: NetlinkSocket) throws {
        guard !operations.isEmpty else { return }
        var count = 0
        for operation in operations {
            switch operation {
            case .addElements(_, let ranges), .deleteElements(_, let ranges):
                count += NftBatchWriter.messageCount(forElements: ranges.count)
            default:
                count += 1
            }
        }
        try send(through: socket, messageCount: count) { writer in
            for operation in operations { try writer.add(operation) }
        }
    }

    /// Encodes what `write` adds (at most `messageCount` messages), sends it as one batch, and
    /// reports refusals.
    static func send(through socket: NetlinkSocket, messageCount: Int, _ write: (inout NftBatchWriter) throws -> Void) throws {
        let reserved = UInt32(messageCount + 2)
        let first = socket.sequences(reserved)
        var writer = NftBatchWriter(firstSequence: first, messageCount: reserved)
        try write(&writer)
        let batch = writer.finish()
        let described = batch.messages
        let answers = try socket.answers(toBatch: batch.bytes, expecting: batch.acknowledged)
        // In batch order: sequence numbers grow from the first, wrapping around.
        let failed = answers.filter { $0.value != 0 }.map { (offset: $0.key &- first, errno: $0.value) }.sorted { $0.offset < $1.offset }
        guard failed.isEmpty else {
            throw NftBatchError(failures: failed.map { failure in
                NftBatchError.Failure(message: described[first &+ failure.offset] ?? "message \(first &+ failure.offset)", errno: failure.errno)
            })
        }
    }
}
