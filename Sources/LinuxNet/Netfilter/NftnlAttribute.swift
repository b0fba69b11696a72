/// libnftnl numbers its attributes with C enums that Swift imports two ways: named enums as
/// structs with a raw value, anonymous ones (the expression attributes) as plain integers. These
/// give both the `uint16_t` the setters take.
@inline(__always)
func attribute<T: RawRepresentable>(_ value: T) -> UInt16 where T.RawValue: BinaryInteger {
    UInt16(truncatingIfNeeded: value.rawValue)
}

@inline(__always)
func attribute(_ value: Int) -> UInt16 { UInt16(truncatingIfNeeded: value) }

@inline(__always)
func attribute(_ value: Int32) -> UInt16 { UInt16(truncatingIfNeeded: value) }
