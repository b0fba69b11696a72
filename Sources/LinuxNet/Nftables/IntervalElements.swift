/// The elements of an interval set as the kernel lists them, turned back into ranges.
///
/// The kernel stores a range as a start element at its first address and an end element
/// (flagged `NFT_SET_ELEM_INTERVAL_END`) at the address after its last; a range reaching the
/// family's last address has no end element. Dumps come in tree order, not address order.
enum IntervalElements {
    /// One element of a dump.
    struct Element: Hashable {
        let key: [UInt8]
        let isEnd: Bool
    }

    /// The ranges `elements` describe, in address order and exactly as stored (adjacent ranges
    /// are not merged, so each can be deleted as it was added), or `nil` when they do not pair
    /// up into ranges (two starts in a row, a range ending where it starts).
    ///
    /// An end element with no open range is skipped: nft writes one at address 0 before the
    /// first range of its own sets, and it holds no address.
    static func ranges(from elements: [Element]) -> [AddressRange]? {
        let ordered = elements.sorted { a, b in
            if a.key != b.key { return AddressRange.bytesPrecede(a.key, b.key) }
            return a.isEnd && !b.isEnd  // a range ending where the next starts: close it first
        }
        var ranges: [AddressRange] = []
        var open: [UInt8]?
        for element in ordered {
            if element.isEnd {
                guard let start = open else { continue }
                guard let last = AddressRange.predecessor(of: element.key),
                      let range = try? AddressRange(first: start, last: last) else { return nil }
                ranges.append(range)
                open = nil
            } else {
                guard open == nil, IPFamily(addressLength: element.key.count) != nil else { return nil }
                open = element.key
            }
        }
        if let start = open {
            ranges.append(AddressRange(unchecked: start, [UInt8](repeating: 0xFF, count: start.count)))
        }
        return ranges
    }
}
