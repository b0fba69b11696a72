/// The backup format: a `.tar.gz` of regular files (config, state, TLS store).
///
/// ``make(files:modificationTime:)`` and ``read(_:maxFileSize:maxTotalSize:)`` are inverses; the
/// output is also readable by `tar -xzf`, and archives from `tar -czf` are read when they hold
/// only files and directories.
public enum BackupArchive {
    /// Mode of the parent directories ``make(files:modificationTime:)`` adds: owner only, since a
    /// backup holds keys and passwords.
    public static let directoryMode: UInt32 = 0o700

    /// Tar framing allowed on top of the file bytes when bounding decompression: a header and up
    /// to 511 bytes of padding per entry (``TarArchive/defaultMaxEntryCount`` entries), plus the
    /// end marker padded to GNU tar's 10 KiB record.
    static let maxFramingSize = TarArchive.defaultMaxEntryCount * 2 * TarHeader.blockSize + 20 * TarHeader.blockSize

    /// Packs `files` into a gzip-compressed ustar archive.
    ///
    /// Each file's missing parent directories are added before it, with mode ``directoryMode``, so
    /// `tar -xzf` recreates them with restrictive permissions.
    /// - Parameters:
    ///   - files: The files, in the order to store them; paths must be unique.
    ///   - modificationTime: Seconds since the Unix epoch stamped on every entry.
    /// - Throws: ``ArchiveError`` with code `invalidPath`, `pathTooLong`, `duplicatePath`
    ///   (also when a file's path is another file's directory), `invalidAttribute`,
    ///   `inputTooLarge` or `zlibFailure`.
    public static func make(files: [ArchiveFile], modificationTime: Int64 = 0) throws(ArchiveError) -> [UInt8] {
        var archive = TarArchive()
        var directories: Set<String> = []
        for file in files {
            try TarPath.validate(file.path)
            // Split on bytes, as TarPath judges paths: a `/` before a combining mark still separates.
            let components = Array(file.path.utf8).split(separator: UInt8(ascii: "/"))
            for depth in 1..<components.count {
                let directory = String(decoding: Array(components[..<depth].joined(separator: [UInt8(ascii: "/")])), as: UTF8.self)
                if directories.insert(directory).inserted {
                    try archive.addDirectory(path: directory, mode: directoryMode, modificationTime: modificationTime)
                }
            }
            guard !directories.contains(file.path) else {
                throw ArchiveError(.duplicatePath, "\(quoted(file.path)) is both a file and a directory of another file")
            }
            try archive.addFile(path: file.path, mode: file.mode, modificationTime: modificationTime, contents: file.contents)
        }
        return try Gzip.compress(archive.bytes)
    }

    /// Reads a `.tar.gz` backup, returning its regular files; directory entries are checked and
    /// then left out, since a restore creates parents as it writes files.
    ///
    /// Decompression stops at `maxTotalSize` plus room for the tar framing, so a gzip bomb is
    /// refused before that much is allocated; then the tar is parsed with
    /// ``TarArchive/init(parsing:maxFileSize:maxTotalSize:maxEntryCount:)``'s strict rules.
    /// - Parameters:
    ///   - bytes: The `.tar.gz` data.
    ///   - maxFileSize: The largest file accepted, in bytes.
    ///   - maxTotalSize: The most file bytes accepted over the whole backup.
    /// - Throws: ``ArchiveError``: any code of ``Gzip/decompress(_:limit:)`` or of the tar reader.
    public static func read(_ bytes: [UInt8], maxFileSize: Int, maxTotalSize: Int) throws(ArchiveError) -> [ArchiveFile] {
        let total = max(0, maxTotalSize)
        let (limit, overflow) = total.addingReportingOverflow(maxFramingSize)
        let tar = try Gzip.decompress(bytes, limit: overflow ? Int.max : limit)
        let archive = try TarArchive(parsing: tar, maxFileSize: maxFileSize, maxTotalSize: total)
        return archive.entries.compactMap { entry in
            entry.kind == .file ? ArchiveFile(path: entry.path, mode: entry.mode, contents: entry.contents) : nil
        }
    }
}
