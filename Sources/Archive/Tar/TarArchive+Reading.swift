// Design: how a backup or upgrade bundle is read.
//
// gzip goes through our zlib ``Inflater``, not libarchive's gzip filter: zlib checks the trailer's
// CRC-32 and length (RFC 1952 §2.3.1), which libarchive 3.6.2 does not, and the inflater stops at
// the caller's size limit before it allocates more, refuses bytes after the member, and tells a
// truncated stream from a corrupt one.
//
// The tar stream, whole in memory, is read by libarchive (tar format only, no filters; see
// ``TarStream``), with this project's rules around it, because libarchive accepts more than a
// restore may:
// - Before libarchive reads a header, the block is screened (`TarHeader+Screening.swift`):
//   ustar or GNU magic, a matching checksum, typeflag `0`, NUL or `5`, plain octal mode, size and
//   mtime, no data for a directory, and no GNU sparse map or real size. Links, devices, FIFOs,
//   typeflag `7`, pax and GNU extension headers and v7 headers are refused there, so libarchive
//   never parses them.
// - Position bookkeeping: libarchive must read each header at the offset the screen checked and
//   consume exactly that one block, must decode the file type and size the screen read, and must
//   return the data as one run of exactly that size (no sparse holes).
// - What it decodes is checked: UTF-8 paths by the ``TarPath`` rules (relative, no `..`, no
//   empty or `.` components), unique paths, sizes within the caller's bounds before data is
//   copied, data present in full (the archive is not cut short).
// - The end: two zero blocks where the next header would be, then only zero bytes. libarchive
//   also accepts an archive without the marker and ignores what follows it.

extension TarArchive {
    /// Parses ustar bytes, accepting only regular files and directories with safe paths.
    ///
    /// Strict: every header's checksum is verified; links, devices, FIFOs, pax and GNU extension
    /// headers are refused rather than skipped; the archive must end with two zero blocks, after
    /// which only zero bytes may follow (GNU tar pads to 10 KiB records). `./` is dropped from
    /// paths and the root entry `./` is skipped. Sizes are checked against the bounds before any
    /// data is copied. Headers are decoded and data copied by libarchive after each header block
    /// passed the checks above. Every input ends with a result or an error; none traps.
    /// - Parameters:
    ///   - bytes: The uncompressed tar data.
    ///   - maxFileSize: The largest file accepted, in bytes.
    ///   - maxTotalSize: The most file bytes accepted over all entries.
    ///   - maxEntryCount: The most entries accepted.
    /// - Throws: ``ArchiveError`` with code `truncatedTar`, `badChecksum`, `notUstar`,
    ///   `badHeaderField` (also when libarchive refuses a header or reads it otherwise than the
    ///   checks did), `unsupportedEntryType`, `invalidPath`, `duplicatePath`, `fileTooLarge`,
    ///   `archiveTooLarge`, `trailingTarData` or `libarchiveFailure`; each message names the
    ///   entry's byte offset.
    public init(
        parsing bytes: [UInt8], maxFileSize: Int, maxTotalSize: Int, maxEntryCount: Int = TarArchive.defaultMaxEntryCount
    ) throws(ArchiveError) {
        self.init()
        try TarStream.reading(bytes) { (stream: inout TarStream) throws(ArchiveError) in
            try readEntries(bytes, from: &stream, maxFileSize: maxFileSize, maxTotalSize: maxTotalSize, maxEntryCount: maxEntryCount)
        }
    }

    /// The loop of ``init(parsing:maxFileSize:maxTotalSize:maxEntryCount:)``: `offset` is where the
    /// next header must start, and libarchive is asked to read only what the screen let through.
    private mutating func readEntries(
        _ bytes: [UInt8], from stream: inout TarStream, maxFileSize: Int, maxTotalSize: Int, maxEntryCount: Int
    ) throws(ArchiveError) {
        let blockSize = TarHeader.blockSize
        var offset = 0
        var total = 0
        while true {
            guard bytes.count - offset >= blockSize else {
                throw ArchiveError(
                    .truncatedTar,
                    "tar data ends at byte \(bytes.count) without the end-of-archive marker (two zero blocks)"
                )
            }
            let block = bytes[offset..<offset + blockSize]
            if TarHeader.isZero(block) {
                try Self.checkEnd(bytes, markerAt: offset)
                guard try Self.next(&stream, at: offset) == nil else {
                    throw ArchiveError(.badHeaderField, "tar entry at byte \(offset): libarchive reads an entry where the end-of-archive marker is")
                }
                return
            }
            guard entries.count < maxEntryCount else {
                throw ArchiveError(.archiveTooLarge, "tar entry at byte \(offset): more than \(maxEntryCount) entries")
            }
            let screened = try TarHeader.screen(block, at: offset)
            guard let header = try Self.next(&stream, at: offset) else {
                throw ArchiveError(.badHeaderField, "tar entry at byte \(offset): libarchive reads the end of the archive at a header")
            }
            let path = try Self.path(of: header, kind: screened.kind, at: offset)
            try Self.crossCheck(header, screened, at: offset, path: path ?? "./")

            let size = screened.size
            if screened.kind == .file {
                guard size <= maxFileSize else {
                    throw ArchiveError(
                        .fileTooLarge,
                        "tar entry at byte \(offset) (\(quoted(path ?? "./"))): \(size) bytes is over the limit of \(maxFileSize) per file"
                    )
                }
                guard size <= maxTotalSize - total else {
                    throw ArchiveError(
                        .archiveTooLarge,
                        "tar entry at byte \(offset) (\(quoted(path ?? "./"))): files total more than the limit of \(maxTotalSize) bytes"
                    )
                }
            }
            // size ≤ maxFileSize (an Int) here, so the sums below cannot overflow for real inputs;
            // comparing against what is left avoids computing past the end regardless.
            let dataStart = offset + blockSize
            let padded = size + padding(size)
            guard padded <= bytes.count - dataStart else {
                throw ArchiveError(
                    .truncatedTar,
                    "tar entry at byte \(offset) (\(quoted(path ?? "./"))): \(size) bytes of data declared, \(max(0, bytes.count - dataStart)) present"
                )
            }
            let contents: [UInt8]
            do throws(TarStream.Failure) {
                contents = try stream.readData(count: size)
            } catch {
                // All of the data is present (checked above), so libarchive read the header otherwise.
                throw ArchiveError(
                    .badHeaderField,
                    "tar entry at byte \(offset) (\(quoted(path ?? "./"))): libarchive does not return the \(size) stored bytes: \(error)"
                )
            }
            let headerOffset = offset
            total += size
            offset = dataStart + padded
            guard let path else { continue }  // the archive root "./"
            guard !paths.contains(path) else {
                throw ArchiveError(.duplicatePath, "tar entry at byte \(headerOffset): \(quoted(path)) appears twice")
            }
            paths.insert(path)
            entries.append(TarEntry(
                path: path, kind: screened.kind, mode: header.permissions, modificationTime: header.modificationTime,
                contents: contents
            ))
        }
    }

    /// libarchive's next header, expected at `offset`; `nil` at its end of archive.
    private static func next(_ stream: inout TarStream, at offset: Int) throws(ArchiveError) -> TarStream.Header? {
        do throws(TarStream.Failure) {
            return try stream.nextHeader()
        } catch {
            throw ArchiveError(.badHeaderField, "tar entry at byte \(offset): refused by \(error)")
        }
    }

    /// The entry's path in ``TarEntry/path`` form, or `nil` for the archive root `./`.
    private static func path(of header: TarStream.Header, kind: TarEntry.Kind, at offset: Int) throws(ArchiveError) -> String? {
        let raw = header.path ?? []
        guard let decoded = String(validating: raw, as: UTF8.self) else {
            throw ArchiveError(.invalidPath, "tar entry at byte \(offset): path \(quoted(String(decoding: raw, as: UTF8.self))) is not UTF-8")
        }
        do throws(ArchiveError) {
            return try TarPath.normalize(decoded, isDirectory: kind == .directory)
        } catch {
            throw ArchiveError(error.code, "tar entry at byte \(offset): \(error.message)")
        }
    }

    /// Checks that libarchive read the screened block, and only it, as the screen did: the same
    /// offset, one header block, the same kind and size, and no link target.
    private static func crossCheck(
        _ header: TarStream.Header, _ screened: TarHeader.Screened, at offset: Int, path: String
    ) throws(ArchiveError) {
        func fail(_ code: ArchiveError.Code, _ reason: String) -> ArchiveError {
            ArchiveError(code, "tar entry at byte \(offset) (\(quoted(path))): \(reason)")
        }
        guard header.offset == offset, header.consumed == offset + TarHeader.blockSize else {
            throw fail(
                .badHeaderField,
                "libarchive read this entry's header from bytes \(header.offset)..<\(header.consumed), not the one block at \(offset)"
            )
        }
        let type: TarStream.FileType = screened.kind == .file ? .regular : .directory
        guard header.fileType == type, !header.hasLinkTarget else {
            throw fail(.unsupportedEntryType, "libarchive reads it as \(header.fileType), not \(type); only regular files and directories are accepted")
        }
        let size = header.size ?? 0
        guard size == Int64(screened.size) else {
            throw fail(.badHeaderField, "libarchive reads a size of \(size) bytes; the size field says \(screened.size)")
        }
    }

    /// Checks the end-of-archive marker at `offset`: a second zero block, then only zeros.
    private static func checkEnd(_ bytes: [UInt8], markerAt offset: Int) throws(ArchiveError) {
        let second = offset + TarHeader.blockSize
        guard bytes.count - second >= TarHeader.blockSize else {
            throw ArchiveError(
                .truncatedTar,
                "tar data ends at byte \(bytes.count) after one zero block; the end-of-archive marker is two"
            )
        }
        if let stray = bytes[second...].firstIndex(where: { $0 != 0 }) {
            throw ArchiveError(
                .trailingTarData,
                "non-zero byte at \(stray) after the end-of-archive marker at byte \(offset)"
            )
        }
    }
}
