/// A position in a document's text.
public struct YAMLMark: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Byte offset into the UTF-8 text.
    public var offset: Int
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars as editors show it.
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public static func < (lhs: YAMLMark, rhs: YAMLMark) -> Bool { lhs.offset < rhs.offset }

    /// `LINE:COLUMN`, the form compilers and editors understand.
    public var description: String { "\(line):\(column)" }
}
