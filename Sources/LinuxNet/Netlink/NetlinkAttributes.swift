/// The attributes after a family header: by type (the last one wins, as in the kernel), and in
/// order for the nested arrays some families send (WireGuard's peers and allowed IPs).
///
/// Every length is checked against the bytes; a truncated or overlong attribute ends the list
/// there, so a malformed answer reads as fewer attributes, never as a fault.
public struct NetlinkAttributes: Sendable {
    /// Every attribute, in the order sent.
    public private(set) var elements: [(type: UInt16, value: ArraySlice<UInt8>)] = []
    private var values: [UInt16: ArraySlice<UInt8>] = [:]

    public init(_ bytes: ArraySlice<UInt8>) {
        var offset = bytes.startIndex
        while bytes.endIndex - offset >= 4 {
            let length = Int(bytes.loadUInt16(at: offset))
            guard length >= 4, length <= bytes.endIndex - offset else { break }
            let type = bytes.loadUInt16(at: offset + 2) & 0x3fff  // without the nested/byte-order bits
            let value = bytes[(offset + 4)..<(offset + length)]
            elements.append((type, value))
            values[type] = value
            offset += Netlink.aligned(length)
        }
    }

    public subscript(type: UInt16) -> ArraySlice<UInt8>? { values[type] }

    public func u8(_ type: UInt16) -> UInt8? { values[type]?.first }

    public func u16(_ type: UInt16) -> UInt16? {
        guard let value = values[type], value.count >= 2 else { return nil }
        return value.loadUInt16(at: value.startIndex)
    }

    public func u32(_ type: UInt16) -> UInt32? {
        guard let value = values[type], value.count >= 4 else { return nil }
        return value.loadUInt32(at: value.startIndex)
    }

    public func u64(_ type: UInt16) -> UInt64? {
        guard let value = values[type], value.count >= 8 else { return nil }
        return UInt64(value.loadUInt32(at: value.startIndex)) | UInt64(value.loadUInt32(at: value.startIndex + 4)) << 32
    }

    public func string(_ type: UInt16) -> String? {
        values[type].map { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The attributes nested in attribute `type`; `nil` when there is none.
    public func nested(_ type: UInt16) -> NetlinkAttributes? { values[type].map(NetlinkAttributes.init) }

    /// Attributes to send, in order; a nested attribute is built from a builder of its own.
    public struct Builder: Sendable {
        public private(set) var bytes: [UInt8] = []

        public init() {}

        public mutating func add(_ type: UInt16, _ value: [UInt8]) {
            bytes.appendInteger(UInt16(4 + value.count))
            bytes.appendInteger(type)
            bytes.append(contentsOf: value)
            bytes.padToAlignment()
        }

        public mutating func add(_ type: UInt16, u8 value: UInt8) { add(type, [value]) }

        public mutating func add(_ type: UInt16, u16 value: UInt16) { add(type, integerBytes(value)) }

        public mutating func add(_ type: UInt16, u32 value: UInt32) { add(type, integerBytes(value)) }

        public mutating func add(_ type: UInt16, string: String) { add(type, Array(string.utf8) + [0]) }

        /// Adds `inner` as one attribute, marked nested (`NLA_F_NESTED`), as strict parsers want.
        public mutating func add(_ type: UInt16, nested inner: Builder) { add(type | 0x8000, inner.bytes) }

        private func integerBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            var bytes: [UInt8] = []
            bytes.appendInteger(value)
            return bytes
        }
    }
}
