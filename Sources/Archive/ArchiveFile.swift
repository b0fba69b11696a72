/// One regular file of a backup: where it goes, its permissions and its bytes.
public struct ArchiveFile: Sendable, Hashable {
    /// Relative, `/`-separated path inside the backup, without `.`, `..` or empty components.
    public var path: String
    /// Permission bits, at most `0o7777`.
    public var mode: UInt32
    /// The file's bytes.
    public var contents: [UInt8]

    /// Makes a file entry; ``BackupArchive/make(files:modificationTime:)`` validates it.
    public init(path: String, mode: UInt32 = 0o600, contents: [UInt8]) {
        self.path = path
        self.mode = mode
        self.contents = contents
    }
}
