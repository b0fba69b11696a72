/// One netlink message: the header fields we use and the payload after the header.
///
/// Netlink is native-endian; this code runs only on the host it talks to, so integers are read
/// and written in host order.
struct NetlinkMessage: Sendable {
    static let headerSize = 16

    var type: UInt16
    var flags: UInt16
    var sequence: UInt32
    var payload: ArraySlice<UInt8>

    /// Splits one received datagram into messages; every length is checked against the datagram.
    static func split(_ bytes: ArraySlice<UInt8>) throws(NetlinkError) -> [NetlinkMessage] {
        var messages: [NetlinkMessage] = []
        var offset = bytes.startIndex
        while bytes.endIndex - offset >= headerSize {
            let length = Int(bytes.loadUInt32(at: offset))
            guard length >= headerSize, length <= bytes.endIndex - offset else {
                throw .malformedAnswer("message length \(length) with \(bytes.endIndex - offset) bytes left")
            }
            messages.append(NetlinkMessage(
                type: bytes.loadUInt16(at: offset + 4), flags: bytes.loadUInt16(at: offset + 6),
                sequence: bytes.loadUInt32(at: offset + 8),
                payload: bytes[(offset + headerSize)..<(offset + length)]))
            offset += Netlink.aligned(length)
        }
        return messages
    }

    /// For an `NLMSG_ERROR` answer: `nil` for an acknowledgement (error 0), otherwise the error
    /// with the kernel's extended-ack text when present.
    func errorAnswer() -> NetlinkError? {
        guard payload.count >= 4 else { return .malformedAnswer("short error message") }
        let code = Int32(bitPattern: payload.loadUInt32(at: payload.startIndex))
        guard code != 0 else { return nil }
        // After the error code: the request's header (and payload unless capped), then
        // extended-ack attributes; NLMSGERR_ATTR_MSG (1) is the reason text.
        var text = ""
        let echoed = payload.count >= 4 + NetlinkMessage.headerSize
            ? Int(payload.loadUInt32(at: payload.startIndex + 4)) : 0
        let capped = flags & 0x100 != 0  // NLM_F_CAPPED: only the header was echoed
        let attributesStart = payload.startIndex + 4 + (capped ? NetlinkMessage.headerSize : Netlink.aligned(echoed))
        if flags & 0x200 != 0, attributesStart <= payload.endIndex,  // NLM_F_ACK_TLVS
           let message = NetlinkAttributes(payload[attributesStart...])[1] {
            text = String(decoding: message.prefix { $0 != 0 }, as: UTF8.self)
        }
        return .refused(-code, message: text)
    }
}

/// Message assembly: a header whose length is filled in when the bytes are read, a fixed family
/// header, then attributes.
struct NetlinkRequest {
    private var head: [UInt8] = []
    var attributes = NetlinkAttributes.Builder()

    init(type: UInt16, flags: UInt16, sequence: UInt32, header: [UInt8]) {
        head.append(contentsOf: [UInt8](repeating: 0, count: 4))
        head.appendInteger(type)
        head.appendInteger(flags)
        head.appendInteger(sequence)
        head.appendInteger(UInt32(0))  // port id: the kernel
        head.append(contentsOf: header)
        head.padToAlignment()
    }

    var sequence: UInt32 { head[8..<12].loadUInt32(at: 8) }

    var bytes: [UInt8] {
        var bytes = head + attributes.bytes
        let length = UInt32(bytes.count)
        for i in 0..<4 { bytes[i] = UInt8(truncatingIfNeeded: length >> (8 * i)) }
        return bytes
    }
}

enum Netlink {
    /// Netlink aligns messages and attributes to four bytes.
    static func aligned(_ length: Int) -> Int { (length + 3) & ~3 }
}

extension ArraySlice<UInt8> {
    func loadUInt16(at index: Int) -> UInt16 {
        UInt16(self[index]) | UInt16(self[index + 1]) << 8
    }

    func loadUInt32(at index: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[index + $1]) << (8 * $1) }
    }
}

extension [UInt8] {
    /// Appends `value` in host (little-endian) order.
    mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        for i in 0..<(T.bitWidth / 8) { append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }

    mutating func padToAlignment() {
        append(contentsOf: [UInt8](repeating: 0, count: Netlink.aligned(count) - count))
    }
}
