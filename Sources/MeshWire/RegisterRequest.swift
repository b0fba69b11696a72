public import NIOCore
public import WireFormat

/// What C writes first on `_relay_register_:0` (§3.1): `u8 flags`, `str16 name`.
public struct RegisterRequest: Hashable, Sendable {
    public var flags: RegisterFlags
    /// C's node name, 1...1024 bytes of UTF-8.
    public var name: String

    public init(flags: RegisterFlags, name: String) {
        self.flags = flags
        self.name = name
    }

    package static let nameLengths = 1...MeshWireLimits.maximumNameLength

    /// Appends the request; throws ``MeshWireError/stringLength(field:length:allowed:)`` for a
    /// name outside 1...1024 bytes.
    public func encode(into buffer: inout ByteBuffer) throws(MeshWireError) {
        var staged = ByteBuffer()
        staged.writeInteger(flags.rawValue)
        try String16.write(name, field: "register name", lengths: Self.nameLengths, to: &staged)
        buffer.writeImmutableBuffer(staged)
    }

    /// Reads a request from the front of `buffer`, consuming it only once it is complete.
    public static func decode(from buffer: inout ByteBuffer) throws(MeshWireError) -> WireReading<RegisterRequest> {
        var cursor = WireCursor(buffer)
        guard let flags = cursor.integer(as: UInt8.self),
              let name = try String16.read(from: &cursor, field: "register name", lengths: nameLengths)
        else { return .needMoreBytes }
        cursor.commit(to: &buffer)
        return .value(RegisterRequest(flags: RegisterFlags(rawValue: flags), name: name))
    }
}
