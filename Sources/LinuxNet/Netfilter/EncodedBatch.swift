import CNftnl
import Glibc

/// An nftables batch as bytes, ready for one `sendto`: begin, the messages, end.
struct EncodedBatch {
    /// Every message back to back, each padded to netlink alignment.
    var bytes: [UInt8] = []
    /// Sequence numbers of the messages that ask for an acknowledgement, and what each one does.
    var messages: [UInt32: String] = [:]
    var acknowledged: Set<UInt32> { Set(messages.keys) }
}

/// Writes libnftnl messages into one contiguous ``EncodedBatch``.
///
/// libnftnl writes into caller memory without bounds checks, so each message is built in a
/// scratch area sized well above the largest message we build (see ``elementsPerMessage``) and
/// copied out. Our own buffer, rather than libnftnl's paged `nftnl_batch`, keeps the whole batch
/// in one piece for a single `sendto`.
struct NftBatchWriter {
    /// Element messages carry at most this many ranges (two elements each, under 60 bytes per
    /// element for IPv6): about 30 KiB, well inside ``scratchSize``, like nft's own splitting.
    static let elementsPerMessage = 256
    private static let scratchSize = 128 * 1024

    private(set) var batch = EncodedBatch()
    private var scratch = [UInt8](repeating: 0, count: scratchSize)
    private var sequence: UInt32
    private var setIDs: UInt32 = 0
    private let first: UInt32
    private let reserved: UInt32

    /// Starts a batch of at most `messageCount` messages (begin and end included), numbered
    /// from `firstSequence`.
    init(firstSequence: UInt32, messageCount: UInt32) {
        sequence = firstSequence
        first = firstSequence
        reserved = messageCount
        emit { buffer, sequence in nftnl_batch_begin(buffer, sequence) }
    }

    /// A set id not yet used in this batch.
    mutating func nextSetID() -> UInt32 {
        setIDs += 1
        return setIDs
    }

    /// Ends the batch and returns it.
    mutating func finish() -> EncodedBatch {
        emit { buffer, sequence in nftnl_batch_end(buffer, sequence) }
        precondition(sequence &- first <= reserved, "the batch used more sequence numbers than it reserved")
        return batch
    }

    /// Appends one nf_tables message of `type` for the inet family, with `payload` written by
    /// `build`, asking for an acknowledgement; `what` names it in errors.
    mutating func message(_ type: nf_tables_msg_types, flags: Int32 = 0, what: String,
                          _ build: (UnsafeMutablePointer<nlmsghdr>) -> Void) {
        let number = sequence
        batch.messages[number] = what
        emit { buffer, sequence in
            let header = nftnl_nlmsg_build_hdr(buffer, UInt16(type.rawValue), UInt16(NFPROTO_INET),
                                               UInt16(flags | NLM_F_ACK), sequence)
            if let header { build(header) }
            return header
        }
    }

    private mutating func emit(_ write: (UnsafeMutablePointer<CChar>, UInt32) -> UnsafeMutablePointer<nlmsghdr>?) {
        let number = sequence
        sequence &+= 1
        let copied: [UInt8] = scratch.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress, let header = write(base.assumingMemoryBound(to: CChar.self), number) else { return [] }
            let length = (Int(header.pointee.nlmsg_len) + 3) & ~3  // NLMSG_ALIGN
            precondition(length <= raw.count, "netlink message overran the scratch buffer")
            return Array(UnsafeRawBufferPointer(start: base, count: length))
        }
        batch.bytes += copied
    }
}
