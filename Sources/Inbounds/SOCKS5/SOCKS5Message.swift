import WireFormat
public import Addressing
public import NIOCore
import Routing

/// The SOCKS5 messages a server reads (RFC 1928, RFC 1929), parsed incrementally: each reader
/// consumes bytes only when a whole message is there, so a handshake split over any number of
/// reads works.
public enum SOCKS5Message {
    public static let version: UInt8 = 5

    /// Authentication methods (RFC 1928 §3).
    public enum Method: UInt8, Sendable {
        case noAuthentication = 0x00
        case usernamePassword = 0x02
        case noAcceptable = 0xFF
    }

    /// Request commands (RFC 1928 §4).
    public enum Command: UInt8, Sendable {
        case connect = 0x01
        case bind = 0x02
        case udpAssociate = 0x03
    }

    /// Reply codes (RFC 1928 §6).
    public enum Reply: UInt8, Sendable {
        case succeeded = 0x00
        case generalFailure = 0x01
        case notAllowed = 0x02
        case networkUnreachable = 0x03
        case hostUnreachable = 0x04
        case connectionRefused = 0x05
        case commandNotSupported = 0x07
        case addressTypeNotSupported = 0x08
    }

    /// A message, not enough bytes yet, or bytes that are not SOCKS5.
    public enum Parsed<Message: Equatable>: Equatable {
        case message(Message)
        case needMoreBytes
        case invalid(String)
    }

    public struct Request: Equatable, Sendable {
        /// The raw command byte; ``Command`` when known.
        public var command: UInt8
        public var target: Target
    }

    /// A request whose address type is not one of IPv4, domain, IPv6.
    public struct UnsupportedAddressType: Error, Equatable {
        public var type: UInt8
    }

    /// VER NMETHODS METHODS (RFC 1928 §3): the offered methods.
    public static func readGreeting(_ buffer: inout ByteBuffer) -> Parsed<Set<UInt8>> {
        guard let header = buffer.getBytes(at: buffer.readerIndex, length: 2) else { return .needMoreBytes }
        guard header[0] == version else { return .invalid("version \(header[0]), not 5") }
        guard header[1] > 0 else { return .invalid("no authentication method offered") }
        guard let methods = buffer.getBytes(at: buffer.readerIndex + 2, length: Int(header[1])) else { return .needMoreBytes }
        buffer.moveReaderIndex(forwardBy: 2 + methods.count)
        return .message(Set(methods))
    }

    /// VER ULEN UNAME PLEN PASSWD (RFC 1929 §2).
    public static func readCredentials(_ buffer: inout ByteBuffer) -> Parsed<Credentials> {
        let start = buffer.readerIndex
        guard let header = buffer.getBytes(at: start, length: 2) else { return .needMoreBytes }
        guard header[0] == 1 else { return .invalid("credentials version \(header[0]), not 1") }
        let userLength = Int(header[1])
        guard let user = buffer.getBytes(at: start + 2, length: userLength),
              let passLength = buffer.getInteger(at: start + 2 + userLength, as: UInt8.self),
              let pass = buffer.getBytes(at: start + 3 + userLength, length: Int(passLength))
        else { return .needMoreBytes }
        buffer.moveReaderIndex(forwardBy: 3 + userLength + Int(passLength))
        return .message(Credentials(username: String(decoding: user, as: UTF8.self),
                                    password: String(decoding: pass, as: UTF8.self)))
    }

    public struct Credentials: Equatable, Sendable {
        public var username: String
        public var password: String
    }

    /// VER CMD RSV ATYP DST.ADDR DST.PORT (RFC 1928 §4).
    public static func readRequest(_ buffer: inout ByteBuffer) -> Parsed<Result<Request, UnsupportedAddressType>> {
        guard let header = buffer.getBytes(at: buffer.readerIndex, length: 3) else { return .needMoreBytes }
        guard header[0] == version else { return .invalid("request version \(header[0]), not 5") }
        var rest = buffer.getSlice(at: buffer.readerIndex + 3, length: buffer.readableBytes - 3) ?? ByteBuffer()
        switch SOCKSAddress.read(from: &rest) {
        case .needMoreBytes:
            return .needMoreBytes
        case .invalid(let reason):
            return .invalid(reason)
        case .unsupportedType(let type):
            return .message(.failure(UnsupportedAddressType(type: type)))
        case .target(let target):
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes - rest.readableBytes)
            return .message(.success(Request(command: header[1], target: target)))
        }
    }

    /// VER REP RSV ATYP BND.ADDR BND.PORT.
    public static func writeReply(_ reply: Reply, bound: Target?, to buffer: inout ByteBuffer) {
        buffer.writeBytes([version, reply.rawValue, 0])
        if let bound {
            SOCKSAddress.write(bound, to: &buffer)
        } else {
            buffer.writeBytes([1, 0, 0, 0, 0, 0, 0])  // 0.0.0.0:0
        }
    }

    /// The header of a UDP ASSOCIATE datagram (RFC 1928 §7): RSV RSV FRAG ATYP ADDR PORT.
    /// Returns the target and fragment number and leaves the payload in `buffer`.
    public static func readDatagramHeader(_ buffer: inout ByteBuffer) -> Parsed<DatagramHeader> {
        guard let header = buffer.readBytes(length: 3) else { return .invalid("datagram shorter than its header") }
        guard header[0] == 0, header[1] == 0 else { return .invalid("reserved bytes not zero") }
        switch SOCKSAddress.read(from: &buffer) {
        case .target(let target): return .message(DatagramHeader(fragment: header[2], target: target))
        case .needMoreBytes: return .invalid("datagram shorter than its header")
        case .invalid(let reason): return .invalid(reason)
        case .unsupportedType(let type): return .invalid("address type \(type)")
        }
    }

    public struct DatagramHeader: Equatable, Sendable {
        public var fragment: UInt8
        public var target: Target
    }
}
