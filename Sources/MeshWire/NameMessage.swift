public import NIOCore
public import WireFormat

/// A message that is one `str16` node name: S's answer on `_relay_register_:0` (§3.1) and C's
/// first write on `_relay_s2c_ctrl_:0` (§3.2).
public struct NameMessage: Hashable, Sendable {
    /// 0...1024 bytes of UTF-8. Empty is legal only in S's register answer, where it tells C to
    /// keep its own label for S (§2.4).
    public var name: String

    public init(name: String) { self.name = name }

    package static let nameLengths = 0...MeshWireLimits.maximumNameLength

    /// Appends the message; throws for a name longer than 1024 bytes.
    public func encode(into buffer: inout ByteBuffer) throws(MeshWireError) {
        try String16.write(name, field: "node name", lengths: Self.nameLengths, to: &buffer)
    }

    /// Reads a message from the front of `buffer`, consuming it only once it is complete.
    public static func decode(from buffer: inout ByteBuffer) throws(MeshWireError) -> WireReading<NameMessage> {
        var cursor = WireCursor(buffer)
        guard let name = try String16.read(from: &cursor, field: "node name", lengths: nameLengths)
        else { return .needMoreBytes }
        cursor.commit(to: &buffer)
        return .value(NameMessage(name: name))
    }
}
