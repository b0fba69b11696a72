import WireFormat

/// The QUIC varints and length fields of Hysteria 2 messages.
extension WireCursor {
    mutating func varint() -> UInt64? {
        guard let (value, length) = QUICVarint.peek(in: buffer, at: index) else { return nil }
        advance(by: length)
        return value
    }

    /// A length field: `nil` while incomplete; `invalid` thrown as soon as the value is outside
    /// `range`, so a peer cannot make us wait for bytes we would refuse anyway.
    mutating func length(
        in range: ClosedRange<Int>, invalid: (Int) -> HysteriaWireError
    ) throws(HysteriaWireError) -> Int? {
        guard let value = varint() else { return nil }
        guard value <= UInt64(range.upperBound), range.contains(Int(value)) else {
            throw invalid(Int(clamping: value))
        }
        return Int(value)
    }
}
