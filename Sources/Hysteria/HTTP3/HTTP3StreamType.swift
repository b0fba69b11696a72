/// The varint that opens every unidirectional stream and says what it carries (RFC 9114 §6.2, RFC 9204 §4.2).
///
/// Types other than these (including reserved `0x1f * N + 0x21` ones) must be ignored by the
/// receiver: it stops reading the stream, it does not close the connection (RFC 9114 §6.2).
public enum HTTP3StreamType {
    /// The control stream: SETTINGS first, then GOAWAY and the like (RFC 9114 §6.2.1).
    public static let control: UInt64 = 0x00
    /// A server push stream; we never allow push (no MAX_PUSH_ID is sent).
    public static let push: UInt64 = 0x01
    /// The QPACK encoder stream (RFC 9204 §4.2); idle for us since the dynamic table has capacity 0.
    public static let qpackEncoder: UInt64 = 0x02
    /// The QPACK decoder stream (RFC 9204 §4.2).
    public static let qpackDecoder: UInt64 = 0x03
}
