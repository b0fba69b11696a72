public import NIOCore

/// Decodes a QPACK field section (a HEADERS frame payload) that uses only the static table (RFC 9204 §4.5).
///
/// We advertise a dynamic table capacity of 0 (``HTTP3Settings/ours``), so a conforming peer never
/// refers to the dynamic table; any such reference is an error rather than a blocked stream. The
/// decoder is a pure function of its input and its limits, so one value serves every stream.
public struct QPACKDecoder: Sendable {
    /// Default bound on a decoded field section, counted as RFC 9114 §4.2.2 counts it.
    public static let defaultMaximumFieldSectionSize = 64 * 1024
    /// Default bound on the number of fields: far above what browsers or Hysteria clients send.
    public static let defaultMaximumFieldCount = 128

    /// Largest decoded size accepted: the sum over fields of name bytes + value bytes + 32.
    public var maximumFieldSectionSize: Int
    /// Most field lines accepted in one section.
    public var maximumFieldCount: Int

    public init(
        maximumFieldSectionSize: Int = QPACKDecoder.defaultMaximumFieldSectionSize,
        maximumFieldCount: Int = QPACKDecoder.defaultMaximumFieldCount
    ) {
        self.maximumFieldSectionSize = maximumFieldSectionSize
        self.maximumFieldCount = maximumFieldCount
    }

    /// The fields of `fieldSection`, in order.
    /// - Throws: QPACK errors (``HTTP3Error/dynamicTableReference``, ``HTTP3Error/integerOverflow``,
    ///   ``HTTP3Error/invalidHuffman``, ``HTTP3Error/truncatedFieldSection``,
    ///   ``HTTP3Error/staticIndexOutOfRange(_:)``) and the limits (``HTTP3Error/fieldSectionTooLarge(limit:)``,
    ///   ``HTTP3Error/tooManyFields(limit:)``).
    public func decode(_ fieldSection: ByteBuffer) throws(HTTP3Error) -> [HTTP3Field] {
        var input = fieldSection
        try Self.readPrefix(from: &input)
        var fields: [HTTP3Field] = []
        var size = 0
        while let first = input.readInteger(as: UInt8.self) {
            guard fields.count < maximumFieldCount else { throw .tooManyFields(limit: maximumFieldCount) }
            // Each field costs its name and value plus 32 bytes of overhead (RFC 9114 §4.2.2).
            let budget = maximumFieldSectionSize - size - 32
            guard budget >= 0 else { throw .fieldSectionTooLarge(limit: maximumFieldSectionSize) }
            let field = try readField(first: first, from: &input, budget: budget)
            size += field.name.utf8.count + field.value.utf8.count + 32
            fields.append(field)
        }
        return fields
    }

    /// Reads the Encoded Field Section Prefix (RFC 9204 §4.5.1). Required Insert Count must be 0:
    /// anything else needs the dynamic table. With no dynamic references Base is never used, so any
    /// non-negative Delta Base is accepted; a negative Base (sign bit set) is an error (§4.5.1.2).
    private static func readPrefix(from input: inout ByteBuffer) throws(HTTP3Error) {
        guard let first = input.readInteger(as: UInt8.self) else { throw .truncatedFieldSection }
        guard try QPACKInteger.read(prefixBits: 8, first: first, from: &input) == 0 else {
            throw .dynamicTableReference
        }
        guard let second = input.readInteger(as: UInt8.self) else { throw .truncatedFieldSection }
        guard second & 0x80 == 0 else { throw .dynamicTableReference }
        _ = try QPACKInteger.read(prefixBits: 7, first: second, from: &input)
    }

    /// One field line representation (RFC 9204 §4.5.2-§4.5.6), told apart by its leading bits.
    private func readField(first: UInt8, from input: inout ByteBuffer, budget: Int) throws(HTTP3Error) -> HTTP3Field {
        if first & 0x80 != 0 {
            // Indexed Field Line: 1 T index(6). T = 0 is the dynamic table.
            guard first & 0x40 != 0 else { throw .dynamicTableReference }
            let entry = try Self.staticEntry(try QPACKInteger.read(prefixBits: 6, first: first, from: &input))
            guard entry.name.utf8.count + entry.value.utf8.count <= budget else {
                throw .fieldSectionTooLarge(limit: maximumFieldSectionSize)
            }
            return HTTP3Field(name: entry.name, value: entry.value)
        }
        if first & 0xc0 == 0x40 {
            // Literal Field Line with Name Reference: 01 N T index(4), then the value.
            guard first & 0x10 != 0 else { throw .dynamicTableReference }
            let name = try Self.staticEntry(try QPACKInteger.read(prefixBits: 4, first: first, from: &input)).name
            let value = try readValue(from: &input, budget: budget - name.utf8.count)
            return HTTP3Field(name: name, value: value)
        }
        if first & 0xe0 == 0x20 {
            // Literal Field Line with Literal Name: 001 N H length(3), name, then the value.
            let name = try readString(first: first, huffmanFlag: 0x08, prefixBits: 3, from: &input, budget: budget)
            let value = try readValue(from: &input, budget: budget - name.utf8.count)
            return HTTP3Field(name: name, value: value)
        }
        // 0001 xxxx (Indexed Field Line with Post-Base Index) and 0000 xxxx (Literal Field Line with
        // Post-Base Name Reference) both point into the dynamic table.
        throw .dynamicTableReference
    }

    private static func staticEntry(_ index: UInt64) throws(HTTP3Error) -> (name: String, value: String) {
        guard let entry = QPACKStaticTable.entry(at: index) else { throw .staticIndexOutOfRange(index) }
        return entry
    }

    /// A value string: H length(7) on a byte of its own.
    private func readValue(from input: inout ByteBuffer, budget: Int) throws(HTTP3Error) -> String {
        guard let first = input.readInteger(as: UInt8.self) else { throw .truncatedFieldSection }
        return try readString(first: first, huffmanFlag: 0x80, prefixBits: 7, from: &input, budget: budget)
    }

    /// A string literal (RFC 9204 §4.1.2); `budget` is how many decoded bytes the section may still take.
    private func readString(
        first: UInt8,
        huffmanFlag: UInt8,
        prefixBits: Int,
        from input: inout ByteBuffer,
        budget: Int
    ) throws(HTTP3Error) -> String {
        let length = try QPACKInteger.read(prefixBits: prefixBits, first: first, from: &input)
        guard length <= UInt64(input.readableBytes) else { throw .truncatedFieldSection }
        guard let encoded = input.readSlice(length: Int(length)) else { throw .truncatedFieldSection }
        let tooLarge = HTTP3Error.fieldSectionTooLarge(limit: maximumFieldSectionSize)
        if first & huffmanFlag != 0 {
            let bytes = try HuffmanCode.decode(encoded, limit: max(budget, 0), limitError: tooLarge)
            return String(decoding: bytes, as: UTF8.self)
        }
        guard encoded.readableBytes <= budget else { throw tooLarge }
        return String(buffer: encoded)
    }
}
