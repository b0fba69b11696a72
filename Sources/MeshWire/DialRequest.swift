public import Addressing
public import NIOCore
public import Addressing
public import WireFormat

/// One request S writes on `_relay_s2c_ctrl_:0` (§3.2): `str16 id`, `str16 addr`. C answers, if
/// at all, by opening `_relay_data_<id>:0`; nothing is ever written back on the control stream.
public struct DialRequest: Hashable, Sendable {
    public var id: DialRequestID
    /// What C should do, as the text v1.3 writes: `udp:<host:port>`, a sentinel, or a target.
    public var address: String

    public init(id: DialRequestID, address: String) {
        self.id = id
        self.address = address
    }

    public init(id: DialRequestID, target: DialTarget) {
        self.init(id: id, address: target.formatted)
    }

    package static let idLengths = 1...MeshWireLimits.maximumRequestIDLength
    /// A stream address, or `udp:` and a target (§3.2 step 2).
    package static let addressLengths = 1...(DialTarget.udpPrefix.utf8.count + MeshWireLimits.maximumAddressLength)

    /// The request's address, parsed. Kept apart from ``decode(from:)`` so one bad request can be
    /// skipped without losing the control stream.
    public func target() throws(MeshWireError) -> DialTarget {
        try DialTarget(parsing: address)
    }

    /// Appends the request; throws for an address longer than `udp:` plus 2048 bytes.
    public func encode(into buffer: inout ByteBuffer) throws(MeshWireError) {
        var staged = ByteBuffer()
        try String16.write(id.text, field: "dial request id", lengths: Self.idLengths, to: &staged)
        try String16.write(address, field: "dial request address", lengths: Self.addressLengths, to: &staged)
        buffer.writeImmutableBuffer(staged)
    }

    /// Reads a request from the front of `buffer`, consuming it only once it is complete.
    public static func decode(from buffer: inout ByteBuffer) throws(MeshWireError) -> WireReading<DialRequest> {
        var cursor = WireCursor(buffer)
        guard let idText = try String16.read(from: &cursor, field: "dial request id", lengths: idLengths)
        else { return .needMoreBytes }
        let id = try DialRequestID(idText)
        guard let address = try String16.read(from: &cursor, field: "dial request address", lengths: addressLengths)
        else { return .needMoreBytes }
        cursor.commit(to: &buffer)
        return .value(DialRequest(id: id, address: address))
    }
}

/// What a dial request asks of C (§3.2): relay UDP to a target, or open a stream address.
public enum DialTarget: Hashable, Sendable {
    /// `udp:<host:port>`: datagrams in ``DatagramFrame``s on the data stream (§8).
    case udp(Target)
    /// A sentinel to serve on the data stream, or a target to dial with TCP.
    case stream(StreamAddress)

    package static let udpPrefix = "udp:"

    public var formatted: String {
        switch self {
        case .udp(let target): Self.udpPrefix + target.description
        case .stream(let address): address.formatted
        }
    }

    public init(parsing text: String) throws(MeshWireError) {
        if text.hasPrefix(Self.udpPrefix) {
            let rest = text.dropFirst(Self.udpPrefix.count)
            if let target = Target(rest) {
                self = .udp(target)
            } else if let address = try? StreamAddress(parsing: text) {
                // A TCP target on a host named `udp` formats as `udp:<port>`, which holds no
                // UDP target: read it back as what it was written from.
                self = .stream(address)
            } else {
                throw .invalidTarget(String(rest))
            }
        } else {
            self = .stream(try StreamAddress(parsing: text))
        }
    }
}
