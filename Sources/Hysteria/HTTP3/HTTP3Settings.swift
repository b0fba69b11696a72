public import NIOCore

/// The payload of a SETTINGS frame: (identifier, value) pairs in the order sent (RFC 9114 §7.2.4).
public struct HTTP3Settings: Equatable, Sendable {
    /// One setting. Unknown identifiers are kept so callers can see them, and must be ignored.
    public struct Entry: Equatable, Sendable {
        public var id: UInt64
        public var value: UInt64

        public init(id: UInt64, value: UInt64) {
            self.id = id
            self.value = value
        }
    }

    /// SETTINGS_QPACK_MAX_TABLE_CAPACITY (RFC 9204 §5); default 0, which is what we send.
    public static let qpackMaxTableCapacity: UInt64 = 0x01
    /// SETTINGS_MAX_FIELD_SECTION_SIZE (RFC 9114 §7.2.4.1); default unlimited.
    public static let maxFieldSectionSize: UInt64 = 0x06
    /// SETTINGS_QPACK_BLOCKED_STREAMS (RFC 9204 §5); default 0.
    public static let qpackBlockedStreams: UInt64 = 0x07

    /// No identifier appears twice (the reader rejects duplicates; callers building one keep it so).
    public var entries: [Entry]

    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    /// The value sent for `id`, or `nil` when absent (the RFC default then applies).
    public subscript(id: UInt64) -> UInt64? {
        entries.first { $0.id == id }?.value
    }

    /// What our endpoint announces: no dynamic table and no blocked streams (spec §1.2), so the
    /// peer's encoder may only use the static table and literals.
    public static let ours = HTTP3Settings([
        Entry(id: qpackMaxTableCapacity, value: 0),
        Entry(id: qpackBlockedStreams, value: 0),
    ])

    /// Parses a whole SETTINGS payload.
    /// - Throws: ``HTTP3Error/duplicateSetting(_:)`` and ``HTTP3Error/reservedSetting(_:)`` (H3_SETTINGS_ERROR),
    ///   ``HTTP3Error/malformedFrame(type:reason:)`` when a varint runs past the payload.
    public init(payload: ByteBuffer) throws(HTTP3Error) {
        var payload = payload
        var entries: [Entry] = []
        var seen = Set<UInt64>()
        while payload.readableBytes > 0 {
            guard let id = payload.readEncodedInteger(as: UInt64.self, strategy: .quic),
                let value = payload.readEncodedInteger(as: UInt64.self, strategy: .quic)
            else {
                throw .malformedFrame(type: HTTP3FrameType.settings, reason: "a setting runs past the payload")
            }
            // RFC 9114 §7.2.4.1: identifiers 0x00 and 0x02-0x05 were HTTP/2 settings.
            guard id != 0x00, !(0x02...0x05).contains(id) else { throw .reservedSetting(id) }
            guard seen.insert(id).inserted else { throw .duplicateSetting(id) }
            entries.append(Entry(id: id, value: value))
        }
        self.entries = entries
    }

    /// Appends the pairs as varints (no frame header) and returns the byte count.
    @discardableResult
    public func writePayload(to buffer: inout ByteBuffer) -> Int {
        var written = 0
        for entry in entries {
            written += buffer.writeEncodedInteger(entry.id, strategy: .quic)
            written += buffer.writeEncodedInteger(entry.value, strategy: .quic)
        }
        return written
    }
}
