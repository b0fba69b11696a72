/// The netlink messages packed in one received buffer, read without trusting their lengths.
struct NetlinkMessages: Sequence {
    /// One message's header fields, and where it starts in the buffer.
    struct Message {
        let offset: Int
        let type: UInt16
        let sequence: UInt32
        /// For an error message: the positive errno, or 0 for an acknowledgement.
        let errorCode: Int32
    }

    private let bytes: [UInt8]

    init(_ bytes: some Collection<UInt8>) { self.bytes = Array(bytes) }

    func makeIterator() -> AnyIterator<Message> {
        var offset = 0
        let bytes = self.bytes
        return AnyIterator {
            // struct nlmsghdr: u32 len, u16 type, u16 flags, u32 seq, u32 pid (host order).
            guard offset + 16 <= bytes.count else { return nil }
            let length = Int(Self.word(bytes, at: offset))
            guard length >= 16, offset + length <= bytes.count else { return nil }
            let type = UInt16(bytes[offset + 4]) | UInt16(bytes[offset + 5]) << 8
            let sequence = Self.word(bytes, at: offset + 8)
            // struct nlmsgerr starts with a negative errno (int), right after the header.
            let code = length >= 20 ? -Int32(bitPattern: Self.word(bytes, at: offset + 16)) : 0
            let message = Message(offset: offset, type: type, sequence: sequence, errorCode: type == 2 ? code : 0)
            offset += (length + 3) & ~3  // NLMSG_ALIGN
            return message
        }
    }

    private static func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
