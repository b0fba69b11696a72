/// Domain names on the wire (RFC 1035 §3.1, §4.1.4).
extension DNSWireReader {
    /// The most octets a name may take on the wire, length bytes and the root's zero included
    /// (RFC 1035 §2.3.4).
    static let maximumNameOctets = 255
    /// The longest label (RFC 1035 §2.3.4); a length byte cannot say more with its top bits clear.
    static let maximumLabelOctets = 63

    /// Reads the name that starts at `start`, following compression pointers.
    ///
    /// Every pointer must point below every offset this name has visited so far, so each jump
    /// moves strictly backwards and the walk ends after at most one jump per earlier byte; the
    /// 255-octet limit bounds it further. Pointers into the header are refused: no name starts there.
    ///
    /// - Returns: the name in lower case presentation form without the trailing dot (the root is
    ///   `""`), and the offset just past the name where it started (after its first pointer).
    /// - Throws: ``DNSMessageError`` for truncation, a reserved label type, a name over 255
    ///   octets, or a pointer out of range, into the header, or not strictly backwards.
    func name(at start: Int) throws(DNSMessageError) -> (name: String, end: Int) {
        var position = start
        var end: Int?
        var lowestVisited = start
        var octets = 0
        var text = ""
        while true {
            let length = try uint8(at: position, "label length of the name at offset \(start)")
            switch length & 0xC0 {
            case 0x00:
                octets += 1 + Int(length)
                guard octets <= Self.maximumNameOctets else {
                    throw DNSMessageError(.nameTooLong, "the name at offset \(start) is longer than 255 octets")
                }
                if length == 0 { return (text, end ?? position + 1) }
                let label = try bytes(at: position + 1, count: Int(length), "label of the name at offset \(start)")
                if !text.isEmpty { text += "." }
                Self.appendPresentation(of: label, to: &text)
                position += 1 + Int(length)
            case 0xC0:
                let low = try uint8(at: position + 1, "compression pointer of the name at offset \(start)")
                let target = Int(length & 0x3F) << 8 | Int(low)
                if end == nil { end = position + 2 }
                guard target < count else {
                    throw DNSMessageError(.badPointer, "the pointer at offset \(position) points to \(target), past the end (\(count) bytes)")
                }
                guard target >= DNSHeader.size else {
                    throw DNSMessageError(.badPointer, "the pointer at offset \(position) points into the header (\(target))")
                }
                guard target < lowestVisited else {
                    throw DNSMessageError(.badPointer, "the pointer at offset \(position) points to \(target), not before the name's own bytes, which could loop")
                }
                lowestVisited = target
                position = target
            default:
                // 0x40 and 0x80: label types RFC 6891 §5 leaves unusable; a label never exceeds 63 octets.
                throw DNSMessageError(.badLabel, "the length byte 0x\(String(length, radix: 16)) at offset \(position) would be a label over 63 octets or a reserved label type")
            }
        }
    }

    /// Appends one label in presentation form (RFC 1035 §5.1): ASCII letters in lower case, so
    /// names compare without regard to case (RFC 4343); a dot, a backslash and any byte that is
    /// not printable ASCII as `\DDD`, so a dot in the text always separates labels.
    static func appendPresentation(of label: [UInt8], to text: inout String) {
        for byte in label {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                text.unicodeScalars.append(Unicode.Scalar(byte + 0x20))
            case UInt8(ascii: "."), UInt8(ascii: "\\"):
                text += Self.escaped(byte)
            case 0x21...0x7E:
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                text += Self.escaped(byte)
            }
        }
    }

    private static func escaped(_ byte: UInt8) -> String {
        let digits = String(byte)
        return "\\" + String(repeating: "0", count: 3 - digits.count) + digits
    }
}
