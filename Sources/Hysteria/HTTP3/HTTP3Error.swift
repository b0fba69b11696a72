/// Why an HTTP/3 frame, a QPACK field section or an HTTP message from the peer was refused.
///
/// Each case names the RFC 9114 / RFC 9204 error code to close the connection or reset the stream
/// with (``code``); the description is diagnostic text for logs and never echoes header values, so
/// credentials such as `hysteria-auth` cannot leak through it.
public enum HTTP3Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// A frame announced a payload longer than the reader accepts (checked before buffering).
    case frameTooLarge(type: UInt64, length: UInt64, limit: Int)
    /// A frame's payload does not match its layout (RFC 9114 §7.1), e.g. trailing bytes in GOAWAY.
    case malformedFrame(type: UInt64, reason: String)
    /// A frame type reserved because it was an HTTP/2 frame type (RFC 9114 §7.2.8).
    case reservedFrameType(UInt64)
    /// The same setting identifier appeared twice in one SETTINGS frame (RFC 9114 §7.2.4).
    case duplicateSetting(UInt64)
    /// A setting identifier reserved because it was an HTTP/2 setting (RFC 9114 §7.2.4.1).
    case reservedSetting(UInt64)
    /// The field section refers to the dynamic table, which we advertise with capacity 0 (RFC 9204 §3.2.3).
    case dynamicTableReference
    /// A static table index past entry 98 (RFC 9204 Appendix A).
    case staticIndexOutOfRange(UInt64)
    /// A prefixed integer does not fit in 62 bits (RFC 7541 §5.1, RFC 9204 §4.1.1).
    case integerOverflow
    /// The field section ends inside an integer, a string or a representation.
    case truncatedFieldSection
    /// A Huffman string has padding longer than 7 bits, padding that is not all ones, or EOS (RFC 7541 §5.2).
    case invalidHuffman
    /// The decoded field section is larger than the limit (name + value + 32 per field, RFC 9114 §4.2.2).
    case fieldSectionTooLarge(limit: Int)
    /// The field section has more fields than the limit.
    case tooManyFields(limit: Int)
    /// The message breaks RFC 9114 §4.2/§4.3: bad pseudo-header, bad name, missing field.
    case malformedMessage(String)

    /// The HTTP/3 or QPACK error code to close the connection or reset the stream with.
    public var code: UInt64 {
        switch self {
        case .frameTooLarge, .fieldSectionTooLarge, .tooManyFields: 0x107  // H3_EXCESSIVE_LOAD
        case .malformedFrame: 0x106  // H3_FRAME_ERROR
        case .reservedFrameType: 0x105  // H3_FRAME_UNEXPECTED
        case .duplicateSetting, .reservedSetting: 0x109  // H3_SETTINGS_ERROR
        case .dynamicTableReference, .staticIndexOutOfRange, .integerOverflow, .truncatedFieldSection, .invalidHuffman:
            0x200  // QPACK_DECOMPRESSION_FAILED
        case .malformedMessage: 0x10e  // H3_MESSAGE_ERROR
        }
    }

    public var description: String {
        let reason =
            switch self {
            case .frameTooLarge(let type, let length, let limit):
                "frame of type 0x\(String(type, radix: 16)) announces \(length) bytes; at most \(limit) are accepted"
            case .malformedFrame(let type, let reason): "frame of type 0x\(String(type, radix: 16)) is malformed: \(reason)"
            case .reservedFrameType(let type): "frame type 0x\(String(type, radix: 16)) is reserved (an HTTP/2 frame type)"
            case .duplicateSetting(let id): "setting 0x\(String(id, radix: 16)) appears twice in SETTINGS"
            case .reservedSetting(let id): "setting 0x\(String(id, radix: 16)) is reserved (an HTTP/2 setting)"
            case .dynamicTableReference: "field section refers to the QPACK dynamic table, whose capacity is 0"
            case .staticIndexOutOfRange(let index): "QPACK static table index \(index) is past the last entry (98)"
            case .integerOverflow: "QPACK integer does not fit in 62 bits"
            case .truncatedFieldSection: "QPACK field section ends early"
            case .invalidHuffman: "Huffman string has invalid padding or contains EOS"
            case .fieldSectionTooLarge(let limit): "field section is larger than \(limit) bytes"
            case .tooManyFields(let limit): "field section has more than \(limit) fields"
            case .malformedMessage(let reason): "malformed HTTP/3 message: \(reason)"
            }
        return "\(reason) (error 0x\(String(code, radix: 16)))"
    }
}
