/// One entry of a tar archive: a regular file or a directory.
public struct TarEntry: Sendable, Hashable {
    /// What an entry is; nothing else is written or accepted.
    public enum Kind: Sendable, Hashable {
        /// A regular file (typeflag `0`).
        case file
        /// A directory (typeflag `5`).
        case directory
    }

    /// Relative path with `/` separators: no leading `/`, no `.`, `..` or empty components, no
    /// trailing `/` (a directory's slash is added only in the header).
    public var path: String
    /// Whether this is a file or a directory.
    public var kind: Kind
    /// Permission bits, at most `0o7777`.
    public var mode: UInt32
    /// Modification time, seconds since the Unix epoch, `0...0o77777777777` (11 octal digits).
    public var modificationTime: Int64
    /// The file's bytes; always empty for a directory.
    public var contents: [UInt8]

    /// Makes an entry; ``TarArchive`` validates it when it is added.
    public init(path: String, kind: Kind, mode: UInt32, modificationTime: Int64 = 0, contents: [UInt8] = []) {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.modificationTime = modificationTime
        self.contents = contents
    }
}
