public import NIOCore
public import Addressing

/// The SOCKS5 address form (RFC 1928 §5), also used by Shadowsocks: a type byte (`1` IPv4,
/// `3` domain with a length byte, `4` IPv6), the address, and a big-endian port.
public enum SOCKSAddress {
    /// What reading an address from the front of a buffer gave.
    public enum Reading: Equatable {
        /// A whole address; the buffer's reader index moved past it.
        case target(Target)
        /// Not enough bytes yet; the buffer is unchanged.
        case needMoreBytes
        /// The bytes cannot be an address; `reason` says why (for logs).
        case invalid(reason: String)
        /// A valid type byte the caller does not accept (SOCKS5 answers REP 0x08).
        case unsupportedType(UInt8)
    }

    /// Reads one address from the front of `buffer`, consuming it only when complete.
    public static func read(from buffer: inout ByteBuffer) -> Reading {
        guard let type = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return .needMoreBytes }
        let start = buffer.readerIndex + 1
        let host: Target.Host
        let length: Int
        switch type {
        case 1, 4:
            length = type == 1 ? 4 : 16
            guard let bytes = buffer.getBytes(at: start, length: length),
                  let address = IPAddress(bytes: bytes) else { return .needMoreBytes }
            host = .ip(address)
        case 3:
            guard let count = buffer.getInteger(at: start, as: UInt8.self) else { return .needMoreBytes }
            guard count > 0 else { return .invalid(reason: "empty domain name") }
            guard let bytes = buffer.getBytes(at: start + 1, length: Int(count)) else { return .needMoreBytes }
            guard let name = String(validating: bytes, as: UTF8.self),
                  let target = Target(hostText: name, port: 1) else {
                return .invalid(reason: "domain name is not usable text")
            }
            host = target.host
            length = 1 + Int(count)
        default:
            return .unsupportedType(type)
        }
        // Port 0 is legal here (a UDP ASSOCIATE from an unknown port); dialling it is not.
        guard let port = buffer.getInteger(at: start + length, as: UInt16.self) else { return .needMoreBytes }
        buffer.moveReaderIndex(forwardBy: 1 + length + 2)
        return .target(Target(host: host, port: port))
    }

    /// Appends `target` in address form; a domain longer than 255 bytes is cut to 255 (``Target``
    /// never holds one).
    public static func write(_ target: Target, to buffer: inout ByteBuffer) {
        switch target.host {
        case .ip(let address):
            buffer.writeInteger(address.isIPv4 ? 1 : 4, as: UInt8.self)
            buffer.writeBytes(address.bytes)
        case .domain(let name):
            let bytes = Array(name.utf8.prefix(Target.maximumDomainLength))
            buffer.writeInteger(3, as: UInt8.self)
            buffer.writeInteger(UInt8(bytes.count))
            buffer.writeBytes(bytes)
        }
        buffer.writeInteger(target.port)
    }

    /// The encoded length of `target`.
    public static func length(of target: Target) -> Int {
        switch target.host {
        case .ip(let address): 1 + address.bytes.count + 2
        case .domain(let name): 2 + min(name.utf8.count, Target.maximumDomainLength) + 2
        }
    }
}
