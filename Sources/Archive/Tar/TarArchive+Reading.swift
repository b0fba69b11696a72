extension TarArchive {
    /// Parses ustar bytes, accepting only regular files and directories with safe paths.
    ///
    /// Strict: every header's checksum is verified; links, devices, FIFOs, pax and GNU extension
    /// headers are refused rather than skipped; the archive must end with two zero blocks, after
    /// which only zero bytes may follow (GNU tar pads to 10 KiB records). `./` is dropped from
    /// paths and the root entry `./` is skipped. Sizes are checked against the bounds before any
    /// data is copied. Every input ends with a result or an error; none traps.
    /// - Parameters:
    ///   - bytes: The uncompressed tar data.
    ///   - maxFileSize: The largest file accepted, in bytes.
    ///   - maxTotalSize: The most file bytes accepted over all entries.
    ///   - maxEntryCount: The most entries accepted.
    /// - Throws: ``ArchiveError`` with code `truncatedTar`, `badChecksum`, `notUstar`,
    ///   `badHeaderField`, `unsupportedEntryType`, `invalidPath`, `duplicatePath`,
    ///   `fileTooLarge`, `archiveTooLarge` or `trailingTarData`; each message names the entry's
    ///   byte offset.
    public init(
        parsing bytes: [UInt8], maxFileSize: Int, maxTotalSize: Int, maxEntryCount: Int = TarArchive.defaultMaxEntryCount
    ) throws(ArchiveError) {
        self.init()
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
                return
            }
            guard entries.count < maxEntryCount else {
                throw ArchiveError(.archiveTooLarge, "tar entry at byte \(offset): more than \(maxEntryCount) entries")
            }
            let header = try Self.readHeader(block, at: offset)
            let dataStart = offset + blockSize
            if header.kind == .file {
                guard header.size <= maxFileSize else {
                    throw ArchiveError(
                        .fileTooLarge,
                        "tar entry at byte \(offset) (\(quoted(header.path))): \(header.size) bytes is over the limit of \(maxFileSize) per file"
                    )
                }
                guard header.size <= maxTotalSize - total else {
                    throw ArchiveError(
                        .archiveTooLarge,
                        "tar entry at byte \(offset) (\(quoted(header.path))): files total more than the limit of \(maxTotalSize) bytes"
                    )
                }
            } else if header.size != 0 {
                throw ArchiveError(
                    .badHeaderField,
                    "tar entry at byte \(offset) (\(quoted(header.path))): a directory with size \(header.size); it must be 0"
                )
            }
            // size ≤ maxFileSize (an Int) here, so the sums below cannot overflow for real inputs;
            // comparing against what is left avoids computing past the end regardless.
            let padded = header.size + padding(header.size)
            guard padded <= bytes.count - dataStart else {
                throw ArchiveError(
                    .truncatedTar,
                    "tar entry at byte \(offset) (\(quoted(header.path))): \(header.size) bytes of data declared, \(max(0, bytes.count - dataStart)) present"
                )
            }
            let headerOffset = offset
            total += header.size
            offset = dataStart + padded
            if header.path.isEmpty { continue }  // the archive root "./"
            guard !paths.contains(header.path) else {
                throw ArchiveError(.duplicatePath, "tar entry at byte \(headerOffset): \(quoted(header.path)) appears twice")
            }
            paths.insert(header.path)
            entries.append(TarEntry(
                path: header.path, kind: header.kind, mode: header.mode, modificationTime: header.modificationTime,
                contents: Array(bytes[dataStart..<dataStart + header.size])
            ))
        }
    }

    /// What one header says, checked; `path` is empty for the archive root `./`.
    private struct ParsedHeader {
        var path: String
        var kind: TarEntry.Kind
        var mode: UInt32
        var modificationTime: Int64
        var size: Int
    }

    /// Reads and checks one non-zero header block that starts at byte `offset`.
    private static func readHeader(_ block: ArraySlice<UInt8>, at offset: Int) throws(ArchiveError) -> ParsedHeader {
        func fail(_ code: ArchiveError.Code, _ reason: String) -> ArchiveError {
            ArchiveError(code, "tar entry at byte \(offset): \(reason)")
        }
        let magic = Array(block.dropFirst(TarHeader.Field.magic.lowerBound).prefix(8))
        let isPOSIX = magic == TarHeader.posixMagic + TarHeader.posixVersion
        guard isPOSIX || magic == TarHeader.gnuMagicAndVersion else {
            throw fail(.notUstar, "no ustar magic; this is not a tar archive in ustar or GNU format")
        }
        let checksumOK: Bool
        do throws(ArchiveError) {
            checksumOK = try TarHeader.checksumMatches(block)
        } catch {
            throw fail(.badChecksum, error.message)
        }
        guard checksumOK else {
            throw fail(.badChecksum, "header checksum does not match; the archive is damaged")
        }

        let typeflag = block[block.startIndex + TarHeader.Field.typeflag]
        let kind: TarEntry.Kind
        switch typeflag {
        case TarHeader.TypeFlag.regular, TarHeader.TypeFlag.regularOld: kind = .file
        case TarHeader.TypeFlag.directory: kind = .directory
        default:
            let name = String(decoding: TarHeader.readString(block, TarHeader.Field.name), as: UTF8.self)
            throw fail(
                .unsupportedEntryType,
                "\(quoted(name)) is \(TarHeader.describe(typeflag: typeflag)); only regular files and directories are accepted"
            )
        }

        // GNU's format uses the prefix bytes for other fields, so only POSIX ustar has a prefix.
        var rawPath = Array(TarHeader.readString(block, TarHeader.Field.name))
        let prefix = isPOSIX ? Array(TarHeader.readString(block, TarHeader.Field.prefix)) : []
        if !prefix.isEmpty { rawPath = prefix + [UInt8(ascii: "/")] + rawPath }
        guard let decoded = String(validating: rawPath, as: UTF8.self) else {
            throw fail(.invalidPath, "path \(quoted(String(decoding: rawPath, as: UTF8.self))) is not UTF-8")
        }
        let path: String?
        do throws(ArchiveError) {
            path = try TarPath.normalize(decoded, isDirectory: kind == .directory)
        } catch {
            throw fail(error.code, error.message)
        }

        func number(_ range: Range<Int>, _ field: String) throws(ArchiveError) -> Int64 {
            do throws(ArchiveError) {
                return try TarHeader.readOctal(block, range, field)
            } catch {
                throw fail(error.code, "\(quoted(decoded)): \(error.message)")
            }
        }
        let mode = try number(TarHeader.Field.mode, "mode")
        let size = try number(TarHeader.Field.size, "size")
        let mtime = try number(TarHeader.Field.mtime, "mtime")
        return ParsedHeader(
            path: path ?? "",
            kind: kind,
            mode: UInt32(mode & Int64(TarHeader.modeMask)),  // file-type bits some writers add go
            modificationTime: mtime,
            size: Int(size)  // at most 12 octal digits: < 2^36
        )
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
