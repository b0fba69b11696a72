/// Sends ``NftOperation``s to the kernel as one nftables transaction.
public enum NftBatch {
    /// Encodes `operations` between batch begin and end, sends them in one `sendto`, and waits
    /// for the kernel's verdict on each. An empty list sends nothing.
    /// - Throws: ``NftBatchError`` listing each refused message with its errno (the kernel then
    ///   applied nothing), or ``NetlinkError`` when the exchange itself failed.
    public static func send(_ operations: [NftOperation], through socket: NetlinkSocket) throws {
        guard !operations.isEmpty else { return }
        try send(through: socket) { writer in
            for operation in operations { try writer.add(operation) }
        }
    }

    /// Encodes what `write` adds, sends it as one batch, and reports refusals.
    static func send(through socket: NetlinkSocket, _ write: (inout NftBatchWriter) throws -> Void) throws {
        var described: [UInt32: String] = [:]
        let answers = try socket.exchange { first in
            var writer = NftBatchWriter(firstSequence: first)
            try write(&writer)
            let batch = writer.finish()
            described = batch.messages
            return batch
        }
        let failures = answers.filter { $0.value != 0 }.sorted { $0.key &- $1.key > UInt32.max / 2 }
        guard failures.isEmpty else {
            throw NftBatchError(failures: failures.map { NftBatchError.Failure(message: described[$0.key] ?? "message \($0.key)", errno: $0.value) })
        }
    }
}
