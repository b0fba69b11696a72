/// Why a Hysteria 2 message could not be encoded or decoded. Every decoder facing the network
/// reports malformed input with one of these instead of trapping, so a peer cannot crash us.
public enum HysteriaWireError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A QUIC varint holds at most 62 bits.
    case varintTooLarge(UInt64)
    /// A forced varint width that is not 1, 2, 4 or 8 bytes, or too narrow for the value.
    case varintWidth(value: UInt64, byteCount: Int)
    /// The stream does not start with the TCP request frame type: it belongs to HTTP/3.
    case notTCPRequest(frameType: UInt64)
    /// An address length outside 1...2048.
    case addressLength(Int)
    /// Address bytes that are not a `host:port` (shown lossily, cut short, for logs).
    case invalidAddress(String)
    /// A TCP response message longer than 2048 bytes.
    case messageLength(Int)
    /// Padding longer than 4096 bytes.
    case paddingLength(Int)
    /// A UDP datagram that ends inside its header.
    case truncatedDatagram(Int)
    /// A UDP message must carry at least one payload byte.
    case emptyPayload
    /// Not even one payload byte fits next to the header in a datagram of this size.
    case datagramTooSmall(headerLength: Int, maximumDatagramSize: Int)
    /// Fragmenting would need more than 255 fragments.
    case tooManyFragments(Int)
    /// A Salamander pre-shared key shorter than 4 bytes.
    case salamanderKeyTooShort(Int)

    public var description: String {
        switch self {
        case .varintTooLarge(let value):
            "varint value \(value) is not below 2^62"
        case .varintWidth(let value, let byteCount):
            "varint value \(value) cannot be written in \(byteCount) bytes"
        case .notTCPRequest(let frameType):
            "stream starts with frame type 0x\(String(frameType, radix: 16)), not a TCP request (0x401)"
        case .addressLength(let length):
            "address length \(length) is outside 1...\(HysteriaConstants.maximumAddressLength)"
        case .invalidAddress(let text):
            "address \"\(text)\" is not host:port"
        case .messageLength(let length):
            "message length \(length) exceeds \(HysteriaConstants.maximumMessageLength)"
        case .paddingLength(let length):
            "padding length \(length) exceeds \(HysteriaConstants.maximumPaddingLength)"
        case .truncatedDatagram(let length):
            "UDP datagram of \(length) bytes ends inside its header"
        case .emptyPayload:
            "UDP message has no payload"
        case .datagramTooSmall(let headerLength, let maximumDatagramSize):
            "a \(headerLength)-byte UDP header leaves no room for payload in \(maximumDatagramSize) bytes"
        case .tooManyFragments(let count):
            "UDP message would need \(count) fragments, more than 255"
        case .salamanderKeyTooShort(let length):
            "Salamander key of \(length) bytes is shorter than \(HysteriaConstants.salamanderMinimumKeyLength)"
        }
    }
}
