import WireFormat
import Addressing
import Inbounds
import NIOCore
import Routing

/// The SOCKS5 readers (RFC 1928, RFC 1929): greeting, username/password, request, and the UDP
/// datagram header, with the address form they share.
///
/// Input: one byte picks the reader, the rest is what the client sent.
enum SOCKS5Harness: FuzzHarness {
    static let name = "socks5"
    static let summary = "SOCKS5 greeting/auth/request/UDP header: need-more leaves the buffer, prefixes wait, addresses round-trip"

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        switch selector % 4 {
        case 0: incremental(body, "greeting", SOCKS5Message.readGreeting)
        case 1: incremental(body, "credentials", SOCKS5Message.readCredentials)
        case 2: request(body)
        default: datagram(body)
        }
    }

    /// A reader of a handshake message: need-more leaves the buffer alone, a message consumes
    /// exactly its bytes, and each shorter prefix of those bytes waits for more.
    private static func incremental<M: Equatable>(
        _ bytes: [UInt8], _ what: String, _ read: (inout ByteBuffer) -> SOCKS5Message.Parsed<M>,
        consumes: (M) -> Bool = { _ in true }
    ) {
        var buffer = ByteBuffer(bytes: bytes)
        let before = buffer
        switch read(&buffer) {
        case .needMoreBytes:
            Incremental.requireUnchanged(buffer, before, what)
        case .invalid(let reason):
            require(!reason.isEmpty, "\(what): invalid without a reason")
        case .message(let message):
            let consumed = buffer.readerIndex - before.readerIndex
            guard consumes(message) else {
                Incremental.requireUnchanged(buffer, before, "\(what) refused in place")
                return
            }
            require(consumed > 0 && consumed <= bytes.count, "\(what): consumed \(consumed) of \(bytes.count)")
            Incremental.requirePrefixesWait(bytes, length: consumed, what, read: read) { $0 == .needMoreBytes }
        }
    }

    private static func request(_ bytes: [UInt8]) {
        // A request with an unknown address type is answered (REP 0x08) without consuming it.
        incremental(bytes, "request", SOCKS5Message.readRequest) { if case .success = $0 { true } else { false } }
        var buffer = ByteBuffer(bytes: bytes)
        if case .message(.success(let request)) = SOCKS5Message.readRequest(&buffer) {
            roundTrip(request.target)
            // The reply a server sends for it parses as an address too.
            var reply = ByteBuffer()
            SOCKS5Message.writeReply(.succeeded, bound: request.target, to: &reply)
            reply.moveReaderIndex(forwardBy: 3)
            require(SOCKSAddress.read(from: &reply) == .target(request.target) && reply.readableBytes == 0,
                    "a reply bound to \(request.target) does not read back")
        }
    }

    private static func datagram(_ bytes: [UInt8]) {
        var buffer = ByteBuffer(bytes: bytes)
        guard case .message(let header) = SOCKS5Message.readDatagramHeader(&buffer) else { return }
        roundTrip(header.target)
        // What the relay sends back: the same header shape around the payload that was left.
        var reply = ByteBuffer(bytes: [0, 0, header.fragment])
        SOCKSAddress.write(header.target, to: &reply)
        let payload = buffer
        reply.writeImmutableBuffer(payload)
        guard case .message(let again) = SOCKS5Message.readDatagramHeader(&reply) else {
            require(false, "a datagram header for \(header.target) does not read back")
            return
        }
        require(again == header && reply == payload, "datagram header round trip changed \(header)")
    }

    /// `write` then `read` gives the target back, consuming exactly `length(of:)` bytes.
    private static func roundTrip(_ target: Target) {
        var buffer = ByteBuffer()
        SOCKSAddress.write(target, to: &buffer)
        require(buffer.readableBytes == SOCKSAddress.length(of: target), "length(of: \(target)) is not what write writes")
        require(SOCKSAddress.read(from: &buffer) == .target(target) && buffer.readableBytes == 0,
                "address \(target) does not survive write and read")
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            ("greeting", [0, 5, 2, 0, 2]),
            ("credentials", [1, 1, 5] + Array("alice".utf8) + [4] + Array("pass".utf8)),
            ("request-ipv4", [2, 5, 1, 0, 1, 10, 0, 0, 1, 0x01, 0xBB]),
            ("request-domain", [2, 5, 1, 0, 3, 11] + Array("example.com".utf8) + [0, 80]),
            ("request-ipv6", [2, 5, 3, 0, 4] + Array(repeating: 0, count: 15) + [1, 0x13, 0x88]),
            ("datagram", [3, 0, 0, 0, 3, 7] + Array("dns.lan".utf8) + [0, 53] + Array("payload".utf8)),
        ]
    }
}
