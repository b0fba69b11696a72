package import NIOCore
package import WireFormat

/// `str16(x)` (§0): a big-endian `u16` length and that many UTF-8 bytes, no terminator. Each
/// field states its own length range; the length is judged as soon as it is read, so a peer
/// cannot make us buffer a string we would refuse.
package enum String16 {
    /// Appends `text`; throws if its UTF-8 length is outside `lengths`.
    package static func write(
        _ text: String, field: String, lengths: ClosedRange<Int>, to buffer: inout ByteBuffer
    ) throws(MeshWireError) {
        let count = text.utf8.count
        guard lengths.contains(count), count <= MeshWireLimits.maximumString16Length else {
            throw .stringLength(field: field, length: count, allowed: lengths)
        }
        buffer.writeInteger(UInt16(count), endianness: .big)
        buffer.writeString(text)
    }

    /// Reads one field; `nil` while incomplete.
    package static func read(
        from cursor: inout WireCursor, field: String, lengths: ClosedRange<Int>
    ) throws(MeshWireError) -> String? {
        guard let length = cursor.integer(as: UInt16.self) else { return nil }
        guard lengths.contains(Int(length)) else {
            throw .stringLength(field: field, length: Int(length), allowed: lengths)
        }
        guard let bytes = cursor.slice(Int(length)) else { return nil }
        guard let text = String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw .invalidUTF8(field: field)
        }
        return text
    }
}
