/// Converts between byte offsets and lines of a text; knows where each line starts and ends.
struct LineIndex: Sendable {
    /// The text's UTF-8 bytes.
    let bytes: [UInt8]
    /// Offset of the first byte of every line; the first element is 0.
    let starts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") {
                starts.append(i + 1)
            } else if bytes[i] == UInt8(ascii: "\r") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        self.starts = starts
    }

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
        while i < bytes.count, bytes[i] != UInt8(ascii: "\n"), bytes[i] != UInt8(ascii: "\r") { i += 1 }
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
