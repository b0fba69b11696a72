/// A ustar archive of regular files and directories, built in memory or parsed strictly.
///
/// Writing: add entries, then take ``bytes``. The output is POSIX ustar (512-byte blocks,
/// checksummed headers, two zero blocks at the end) and is read by GNU tar and bsdtar.
///
/// Reading: ``init(parsing:maxFileSize:maxTotalSize:maxEntryCount:)`` accepts only what a restore
/// can use safely: relative paths without `..`, regular files and directories, sizes within the
/// caller's bounds. A value: it can be shared between tasks.
public struct TarArchive: Sendable {
    /// The most entries a parsed archive may hold unless the caller says otherwise. A backup holds
    /// a config, a state database and a few TLS files; this leaves ample room.
    public static let defaultMaxEntryCount = 10_000

    /// In order of addition (or of appearance in the parsed bytes); paths are unique.
    public internal(set) var entries: [TarEntry] = []
    /// Paths of ``entries``, for the uniqueness check.
    var paths: Set<String> = []

    /// An empty archive.
    public init() {}

    /// Adds a regular file.
    ///
    /// - Parameters:
    ///   - path: Relative, `/`-separated, no `.`, `..` or empty components, fitting ustar's
    ///     100-byte name and 155-byte prefix fields.
    ///   - mode: Permission bits, at most `0o7777`.
    ///   - modificationTime: Seconds since the Unix epoch, `0...0o77777777777`.
    ///   - contents: The file's bytes, under 8 GiB.
    /// - Throws: ``ArchiveError`` with code `invalidPath`, `pathTooLong`, `duplicatePath` or
    ///   `invalidAttribute`; the archive is unchanged then.
    public mutating func addFile(path: String, mode: UInt32 = 0o600, modificationTime: Int64 = 0, contents: [UInt8]) throws(ArchiveError) {
        try add(TarEntry(path: path, kind: .file, mode: mode, modificationTime: modificationTime, contents: contents))
    }

    /// Adds a directory. Parents are not added implicitly; tar creates missing ones on extraction.
    ///
    /// - Throws: as ``addFile(path:mode:modificationTime:contents:)``.
    public mutating func addDirectory(path: String, mode: UInt32 = 0o700, modificationTime: Int64 = 0) throws(ArchiveError) {
        try add(TarEntry(path: path, kind: .directory, mode: mode, modificationTime: modificationTime))
    }

    /// Adds `entry` after checking it can be written and read back unchanged.
    ///
    /// - Throws: as ``addFile(path:mode:modificationTime:contents:)``; a directory with contents
    ///   is `invalidAttribute`.
    public mutating func add(_ entry: TarEntry) throws(ArchiveError) {
        try TarPath.validate(entry.path)
        _ = try TarPath.split(entry.kind == .directory ? entry.path + "/" : entry.path)
        guard entry.mode <= TarHeader.modeMask else {
            throw ArchiveError(.invalidAttribute, "\(quoted(entry.path)): mode 0o\(String(entry.mode, radix: 8)) has bits beyond 0o7777")
        }
        guard (0...TarHeader.maxNumber).contains(entry.modificationTime) else {
            throw ArchiveError(.invalidAttribute, "\(quoted(entry.path)): modification time \(entry.modificationTime) is outside 0...\(TarHeader.maxNumber)")
        }
        guard Int64(entry.contents.count) <= TarHeader.maxNumber else {
            throw ArchiveError(.invalidAttribute, "\(quoted(entry.path)): \(entry.contents.count) bytes is more than a ustar header can record")
        }
        guard entry.kind == .file || entry.contents.isEmpty else {
            throw ArchiveError(.invalidAttribute, "\(quoted(entry.path)): a directory has no contents")
        }
        guard !paths.contains(entry.path) else {
            throw ArchiveError(.duplicatePath, "\(quoted(entry.path)) is already in the archive")
        }
        paths.insert(entry.path)
        entries.append(entry)
    }

    /// The archive as ustar bytes: each header and its data padded to 512 bytes, then two zero
    /// blocks.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        for entry in entries {
            do {
                out += try TarHeader.encode(entry)
            } catch {
                preconditionFailure("TarArchive: entry validated in add(_:) cannot be encoded: \(error)")
            }
            out += entry.contents
            out += [UInt8](repeating: 0, count: padding(entry.contents.count))
        }
        out += [UInt8](repeating: 0, count: 2 * TarHeader.blockSize)
        return out
    }
}

/// Zero bytes that follow `count` data bytes to reach the next block boundary.
func padding(_ count: Int) -> Int {
    (TarHeader.blockSize - count % TarHeader.blockSize) % TarHeader.blockSize
}
