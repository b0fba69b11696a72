public import NIOCore
public import WireFormat

/// What C writes on `_relay_latency_:0` every 5 s (§3.5): `str16 name`, `u16 ms`.
public struct LatencyReport: Hashable, Sendable {
    /// The reporting node's name, 1...1024 bytes.
    public var name: String
    /// C's latest latency to S in milliseconds; the wire field saturates at 65535.
    public var milliseconds: UInt16

    public init(name: String, milliseconds: UInt16) {
        self.name = name
        self.milliseconds = milliseconds
    }

    /// A report of `milliseconds`, clamped to 0...65535 as v1.3 does.
    public init(name: String, measuredMilliseconds milliseconds: Int) {
        self.init(name: name, milliseconds: UInt16(clamping: milliseconds))
    }

    package static let nameLengths = 1...MeshWireLimits.maximumNameLength

    public func encode(into buffer: inout ByteBuffer) throws(MeshWireError) {
        var staged = ByteBuffer()
        try String16.write(name, field: "latency report name", lengths: Self.nameLengths, to: &staged)
        staged.writeInteger(milliseconds, endianness: .big)
        buffer.writeImmutableBuffer(staged)
    }

    /// Reads a report from the front of `buffer`, consuming it only once it is complete. A probe
    /// that opens and closes the stream (§3.5, §6) leaves this at `.needMoreBytes` forever.
    public static func decode(from buffer: inout ByteBuffer) throws(MeshWireError) -> WireReading<LatencyReport> {
        var cursor = WireCursor(buffer)
        guard let name = try String16.read(from: &cursor, field: "latency report name", lengths: nameLengths),
              let milliseconds = cursor.integer(as: UInt16.self) else { return .needMoreBytes }
        cursor.commit(to: &buffer)
        return .value(LatencyReport(name: name, milliseconds: milliseconds))
    }
}
