/// Reads a fuzzer's bytes front to back as a script of choices: lengths, flags, numbers, pieces
/// of text. Past the end every read answers zero or empty, so any input is a complete script and
/// a short input simply makes small choices.
struct FuzzInput {
    private let bytes: [UInt8]
    /// Bytes consumed so far.
    private(set) var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { position >= bytes.count }

    /// Bytes not read yet.
    var remainingCount: Int { max(0, bytes.count - position) }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A little-endian integer from the next `MemoryLayout<T>.size` bytes.
    mutating func integer<T: FixedWidthInteger>(_ type: T.Type = T.self) -> T {
        var value = T.zero
        for index in 0..<MemoryLayout<T>.size {
            value |= T(truncatingIfNeeded: byte()) << (8 * index)
        }
        return value
    }

    /// A number in `range`, from one byte when the range is small, else from four.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        let raw = width <= 256 ? UInt64(byte()) : UInt64(integer(UInt32.self))
        return range.lowerBound + Int(raw % width)
    }

    /// One of `options` (which must not be empty).
    mutating func pick<T>(_ options: [T]) -> T {
        options[int(in: 0...(options.count - 1))]
    }

    /// The next `count` bytes (fewer at the end).
    mutating func bytes(count: Int) -> [UInt8] {
        let end = min(bytes.count, position + max(0, count))
        defer { position = max(position, end) }
        return position < end ? Array(bytes[position..<end]) : []
    }

    /// A length byte (at most `maximum`) and that many bytes.
    mutating func bytes(upTo maximum: Int) -> [UInt8] {
        bytes(count: int(in: 0...maximum))
    }

    /// A length and that many bytes as text; invalid UTF-8 is repaired, so the text may hold
    /// U+FFFD.
    mutating func text(upTo maximum: Int) -> String {
        String(decoding: bytes(upTo: maximum), as: UTF8.self)
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] {
        bytes(count: remainingCount)
    }

    /// Cut points for feeding `count` bytes in pieces: piece lengths that add up to `count`.
    /// Each length byte chooses a piece of 0...31 bytes; once the script runs out the rest is
    /// one piece.
    mutating func pieceLengths(total count: Int, maximumPieces: Int = 16) -> [Int] {
        var lengths: [Int] = []
        var left = count
        while left > 0, lengths.count < maximumPieces - 1, !isAtEnd {
            let length = min(left, Int(byte() & 0x1F))
            lengths.append(length)
            left -= length
        }
        if left > 0 { lengths.append(left) }
        return lengths
    }
}
