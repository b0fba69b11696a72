import Addressing
import NIOCore
import Routing
import WireFormat

/// The address field of TCP requests and UDP messages: a varint length (1...2048) and the
/// `host:port` text, IPv6 in brackets, exactly as ``Target`` prints and parses it.
enum HysteriaAddress {
    static let lengths = 1...HysteriaConstants.maximumAddressLength

    /// Encoded size of the field for `target`, length prefix included.
    static func fieldLength(of target: Target) -> Int {
        let count = target.description.utf8.count
        return (QUICVarint.encodedLength(of: UInt64(count)) ?? 8) + count
    }

    static func write(_ target: Target, to buffer: inout ByteBuffer) throws(HysteriaWireError) {
        try write(target.description, to: &buffer)
    }

    /// Writes any address text (a TCP request may carry a server-specific word).
    static func write(_ text: String, to buffer: inout ByteBuffer) throws(HysteriaWireError) {
        let count = text.utf8.count
        guard lengths.contains(count) else { throw .addressLength(count) }
        try QUICVarint.write(UInt64(count), to: &buffer)
        buffer.writeString(text)
    }

    /// Reads the field; `nil` while incomplete. The length is checked as soon as it is read.
    static func read(from cursor: inout WireCursor) throws(HysteriaWireError) -> Target? {
        guard let bytes = try readUnparsed(from: &cursor) else { return nil }
        return try parse(bytes)
    }

    /// The field's address bytes, to ``parse(_:)`` later; `nil` while incomplete.
    static func readUnparsed(from cursor: inout WireCursor) throws(HysteriaWireError) -> ByteBuffer? {
        guard let count = try cursor.length(in: lengths, invalid: { .addressLength($0) }) else { return nil }
        return cursor.slice(count)
    }

    static func parse(_ bytes: ByteBuffer) throws(HysteriaWireError) -> Target {
        let text = try text(of: bytes)
        guard let target = Target(text) else { throw .invalidAddress(String(text.prefix(64))) }
        return target
    }

    /// The field's bytes as text; not UTF-8 is an ``HysteriaWireError/invalidAddress(_:)``.
    static func text(of bytes: ByteBuffer) throws(HysteriaWireError) -> String {
        let view = bytes.readableBytesView
        guard let text = String(validating: view, as: UTF8.self) else {
            throw .invalidAddress(String(decoding: view.prefix(64), as: UTF8.self))
        }
        return text
    }
}
