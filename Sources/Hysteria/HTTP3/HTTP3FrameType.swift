/// HTTP/3 frame type numbers (RFC 9114 §11.2.1).
public enum HTTP3FrameType {
    public static let data: UInt64 = 0x00
    public static let headers: UInt64 = 0x01
    public static let cancelPush: UInt64 = 0x03
    public static let settings: UInt64 = 0x04
    public static let pushPromise: UInt64 = 0x05
    public static let goaway: UInt64 = 0x07
    public static let maxPushID: UInt64 = 0x0d

    /// Whether `type` was an HTTP/2 frame type with no HTTP/3 meaning (0x02, 0x06, 0x08, 0x09);
    /// receiving one is a connection error of type H3_FRAME_UNEXPECTED (RFC 9114 §7.2.8).
    public static func isReservedHTTP2(_ type: UInt64) -> Bool {
        type == 0x02 || type == 0x06 || type == 0x08 || type == 0x09
    }
}
