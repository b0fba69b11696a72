/// Address successors and predecessors: an interval set stores a range as its first address and
/// the address after its last, and normalisation merges ranges that touch.
extension AddressRange {
    /// `address + 1`, or `nil` when `address` is the family's last address.
    static func successor(of address: [UInt8]) -> [UInt8]? {
        var next = address
        for index in next.indices.reversed() {
            if next[index] == 0xFF {
                next[index] = 0
            } else {
                next[index] += 1
                return next
            }
        }
        return nil
    }

    /// `address - 1`, or `nil` when `address` is all zeroes.
    static func predecessor(of address: [UInt8]) -> [UInt8]? {
        var previous = address
        for index in previous.indices.reversed() {
            if previous[index] == 0 {
                previous[index] = 0xFF
            } else {
                previous[index] -= 1
                return previous
            }
        }
        return nil
    }

    /// Sorts `ranges` and merges overlapping and adjacent ones, so that no two share or touch an
    /// address. The kernel's interval sets reject overlapping elements, and merging adjacent ones
    /// gives every set one canonical form, so a set read back compares equal to the one written.
    ///
    /// - Precondition: all ranges are of one family (``NftSet`` checks this for its input).
    public static func normalised(_ ranges: [AddressRange]) -> [AddressRange] {
        var merged: [AddressRange] = []
        for range in ranges.sorted() {
            guard let previous = merged.last else {
                merged.append(range)
                continue
            }
            // Touching means the new range starts at or before the address after the previous end.
            let touches = successor(of: previous.last).map { !bytesPrecede($0, range.first) } ?? true
            if touches {
                let last = bytesPrecede(previous.last, range.last) ? range.last : previous.last
                merged[merged.count - 1] = AddressRange(unchecked: previous.first, last)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// A range whose ends the caller already knows to be valid.
    init(unchecked first: [UInt8], _ last: [UInt8]) {
        precondition(first.count == last.count && !Self.bytesPrecede(last, first), "range ends out of order")
        self.first = first
        self.last = last
    }
}
