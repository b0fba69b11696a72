/// Converts between byte offsets and lines of a text; knows where each line starts and ends.
///
/// Lines end where libyaml's do, since its marks are line and column: at `\n`, `\r\n`, `\r`,
/// and the YAML 1.1 breaks NEL (U+0085), LS (U+2028) and PS (U+2029).
struct LineIndex: Sendable {
    /// The text's UTF-8 bytes.
    let bytes: [UInt8]
    /// Offset of the first byte of every line; the first element is 0.
    let starts: [Int]

    /// The index of `bytes` whose line starts are known (an edit's, from the text before it).
    init(bytes: [UInt8], starts: [Int]) {
        self.bytes = bytes
        self.starts = starts
    }

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        var i = 0
        while i < bytes.count {
            let length = Self.breakLength(in: bytes, at: i)
            if length > 0 {
                starts.append(i + length)
                i += length
            } else {
                i += 1
            }
        }
        self.starts = starts
    }

    /// The byte length of the line break at `offset` (`\r\n` counts as one), or 0.
    static func breakLength(in bytes: [UInt8], at offset: Int) -> Int {
        guard offset < bytes.count else { return 0 }
        switch bytes[offset] {
        case UInt8(ascii: "\n"):
            return 1
        case UInt8(ascii: "\r"):
            return offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: "\n") ? 2 : 1
        case 0xC2:
            return offset + 1 < bytes.count && bytes[offset + 1] == 0x85 ? 2 : 0  // NEL
        case 0xE2:
            guard offset + 2 < bytes.count, bytes[offset + 1] == 0x80 else { return 0 }
            return bytes[offset + 2] == 0xA8 || bytes[offset + 2] == 0xA9 ? 3 : 0  // LS, PS
        default:
            return 0
        }
    }

    /// The byte length of the line break, or of the `\n` or `\r` of a `\r\n`, that ends just
    /// before `offset`; 0 when there is none. For walking back over breaks.
    static func breakLength(in bytes: [UInt8], endingAt offset: Int) -> Int {
        guard offset > 0, offset <= bytes.count else { return 0 }
        switch bytes[offset - 1] {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return 1
        case 0x85: return offset >= 2 && bytes[offset - 2] == 0xC2 ? 2 : 0
        case 0xA8, 0xA9: return offset >= 3 && bytes[offset - 3] == 0xE2 && bytes[offset - 2] == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// Whether a line break starts at `offset`.
    func isBreak(at offset: Int) -> Bool { Self.breakLength(in: bytes, at: offset) > 0 }

    /// The mark of a 0-based line and 0-based column counted in Unicode scalars (libyaml's marks).
    func mark(line: Int, column: Int) -> YAMLMark {
        guard line < starts.count else {
            return mark(offset: bytes.count)
        }
        var offset = starts[line]
        var remaining = column
        while remaining > 0, offset < bytes.count {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            remaining -= 1
        }
        return YAMLMark(offset: offset, line: line + 1, column: column + 1)
    }

    /// The mark of a byte offset.
    func mark(offset: Int) -> YAMLMark {
        let line = lineNumber(of: offset)
        var column = 0
        var i = starts[line]
        while i < offset {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return YAMLMark(offset: offset, line: line + 1, column: column + 1)
    }

    /// 0-based line holding `offset`.
    func lineNumber(of offset: Int) -> Int {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Offset of the first byte of the line holding `offset`.
    func lineStart(of offset: Int) -> Int { starts[lineNumber(of: offset)] }

    /// Offset of the line break ending the line holding `offset`, or the end of the text.
    func lineEnd(of offset: Int) -> Int {
        var i = offset
        while i < bytes.count, !isBreak(at: i) { i += 1 }
        return i
    }

    /// Offset just past the line break ending the line holding `offset` (or the end of the text).
    func nextLineStart(after offset: Int) -> Int {
        let line = lineNumber(of: offset)
        return line + 1 < starts.count ? starts[line + 1] : bytes.count
    }

    /// True when only spaces and tabs stand between the start of the line and `offset`.
    func isFirstOnLine(_ offset: Int) -> Bool {
        var i = lineStart(of: offset)
        while i < offset {
            guard bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") else { return false }
            i += 1
        }
        return true
    }

}
