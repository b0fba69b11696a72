public import NIOCore

/// Encodes a field section with the static table and literals only (RFC 9204 §4.5).
///
/// Needs no state: without a dynamic table the encoder never writes to its encoder stream and never
/// waits for acknowledgements, so every section decodes on its own.
public enum QPACKEncoder {
    /// Appends the encoded field section for `fields` (a HEADERS frame payload) and returns the byte count.
    ///
    /// Per field: an Indexed Field Line when the static table has the exact (name, value); else a
    /// Literal Field Line with a static Name Reference when it has the name; else a Literal Field Line
    /// with Literal Name. Each string is Huffman-coded only when that is strictly shorter. Names are
    /// sent in lower case, as HTTP/3 requires (RFC 9114 §4.2).
    @discardableResult
    public static func encode(_ fields: [HTTP3Field], into buffer: inout ByteBuffer) -> Int {
        let start = buffer.writerIndex
        // Encoded Field Section Prefix: Required Insert Count 0, Delta Base 0 (RFC 9204 §4.5.1).
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt8(0))
        for field in fields {
            let name = field.name.lowercased()
            if let index = QPACKStaticTable.index(name: name, value: field.value) {
                QPACKInteger.write(UInt64(index), prefixBits: 6, flags: 0xc0, into: &buffer)  // 1 T=1 index
            } else if let index = QPACKStaticTable.index(name: name) {
                QPACKInteger.write(UInt64(index), prefixBits: 4, flags: 0x50, into: &buffer)  // 01 N=0 T=1 index
                writeString(field.value, huffmanFlag: 0x80, prefixBits: 7, flags: 0x00, into: &buffer)
            } else {
                writeString(name, huffmanFlag: 0x08, prefixBits: 3, flags: 0x20, into: &buffer)  // 001 N=0 H len
                writeString(field.value, huffmanFlag: 0x80, prefixBits: 7, flags: 0x00, into: &buffer)
            }
        }
        return buffer.writerIndex - start
    }

    /// Writes a string literal (RFC 9204 §4.1.2) whose length prefix shares a byte with `flags`.
    private static func writeString(
        _ string: String,
        huffmanFlag: UInt8,
        prefixBits: Int,
        flags: UInt8,
        into buffer: inout ByteBuffer
    ) {
        let bytes = string.utf8
        let huffmanLength = HuffmanCode.encodedLength(of: bytes)
        if huffmanLength < bytes.count {
            QPACKInteger.write(UInt64(huffmanLength), prefixBits: prefixBits, flags: flags | huffmanFlag, into: &buffer)
            HuffmanCode.encode(bytes, into: &buffer)
        } else {
            QPACKInteger.write(UInt64(bytes.count), prefixBits: prefixBits, flags: flags, into: &buffer)
            buffer.writeString(string)
        }
    }
}
