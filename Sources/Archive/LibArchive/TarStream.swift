internal import CArchive

/// libarchive's tar reader over one in-memory tar stream: the only owner of its `struct archive`,
/// released with `archive_read_free` in `deinit`.
///
/// The one file of this module that calls libarchive (through ``LibArchive``, which loads it on
/// first use). Only the tar format is enabled and no
/// filter, so libarchive never decompresses (gzip goes through ``Inflater``, which checks the
/// CRC). It sees the bytes only inside ``reading(_:_:)``, so no pointer outlives them; it decodes
/// headers and copies out file data, and ``TarArchive/init(parsing:maxFileSize:maxTotalSize:maxEntryCount:)``
/// decides what is accepted.
struct TarStream: ~Copyable {
    /// What libarchive decoded from one header.
    struct Header {
        /// Byte offset of the header in the tar stream (`archive_read_header_position`).
        var offset: Int
        /// Bytes libarchive had consumed once the header was read (`archive_filter_bytes(a, 0)`):
        /// the offset plus every header block it read for this entry.
        var consumed: Int
        /// The path's bytes as stored (ustar `prefix/name`, GNU `name`), or `nil` if it had none.
        var path: [UInt8]?
        /// The file type bits (`archive_entry_filetype`).
        var fileType: FileType
        /// Permission bits (`archive_entry_perm`), cut to `0o7777`.
        var permissions: UInt32
        /// Seconds since the Unix epoch (`archive_entry_mtime`).
        var modificationTime: Int64
        /// Data bytes libarchive will return, or `nil` when the header set no size.
        var size: Int64?
        /// True when the header names a link target.
        var hasLinkTarget: Bool
    }

    /// The kinds of entry `archive_entry_filetype` distinguishes.
    enum FileType: Equatable {
        case regular, directory, symbolicLink, characterDevice, blockDevice, fifo, socket
        case other(UInt32)
    }

    /// A libarchive call that did not succeed: the function, its status and libarchive's message.
    struct Failure: Error, CustomStringConvertible {
        var function: String
        var status: Int32
        var message: String
        var description: String { "libarchive \(function): \(message) (\(status))" }
    }

    private let library: LibArchive
    /// Allocated by `archive_read_new`; freed in `deinit`.
    private let archive: OpaquePointer
    /// The tar data, alive for the whole of ``reading(_:_:)`` and so for this stream's life.
    private let data: UnsafeRawBufferPointer
    /// Whether `archive_read_open_memory` ran. It is deferred to the first header because
    /// libarchive reads and judges that header as it opens; the caller screens it first.
    private var isOpen = false

    /// Runs `body` with a stream over `bytes`, which libarchive reads in place.
    ///
    /// - Throws: what `body` throws, or ``ArchiveError`` `libarchiveFailure` if libarchive cannot
    ///   be loaded or set up (out of memory).
    static func reading<R>(_ bytes: [UInt8], _ body: (inout TarStream) throws(ArchiveError) -> R) throws(ArchiveError) -> R {
        let result = bytes.withUnsafeBytes { raw -> Result<R, ArchiveError> in
            do throws(ArchiveError) {
                var stream = try TarStream(raw)
                return .success(try body(&stream))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private init(_ data: UnsafeRawBufferPointer) throws(ArchiveError) {
        let library = try LibArchive.loaded.get()
        guard let archive = library.readNew() else {
            throw ArchiveError(.libarchiveFailure, "libarchive archive_read_new: out of memory")
        }
        if let failure = Self.check(library, archive, "archive_read_support_format_tar", library.readSupportFormatTar(archive)) {
            _ = library.readFree(archive)
            throw ArchiveError(.libarchiveFailure, "cannot set up the tar reader: \(failure)")
        }
        self.library = library
        self.archive = archive
        self.data = data
    }

    deinit {
        _ = library.readFree(archive)
    }

    /// Reads the next header, or returns `nil` at libarchive's end of archive (an end marker, or
    /// the data ending on a block boundary: the caller checks which).
    ///
    /// - Throws: ``Failure`` for any status but `ARCHIVE_OK` and `ARCHIVE_EOF`; a warning (a
    ///   path libarchive could not convert, say) counts as a failure.
    mutating func nextHeader() throws(Failure) -> Header? {
        if !isOpen {
            // An empty buffer may have no address; at length 0 libarchive reads nothing through it.
            let status = library.readOpenMemory(archive, data.baseAddress ?? UnsafeRawPointer(archive), data.count)
            guard status == ARCHIVE_OK else { throw failure("archive_read_open_memory", status) }
            isOpen = true
        }
        var entry: OpaquePointer?
        let status = library.readNextHeader(archive, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK, let entry else {
            throw failure("archive_read_next_header", status)
        }
        return Header(
            offset: Int(library.readHeaderPosition(archive)),
            consumed: Int(library.filterBytes(archive, 0)),
            path: library.entryPathname(entry).map(Self.bytes),
            fileType: Self.fileType(library.entryFiletype(entry)),
            permissions: library.entryPerm(entry) & 0o7777,
            modificationTime: Int64(library.entryMtime(entry)),
            size: library.entrySizeIsSet(entry) != 0 ? library.entrySize(entry) : nil,
            hasLinkTarget: library.entryHardlink(entry) != nil || library.entrySymlink(entry) != nil
        )
    }

    /// Reads the current entry's data, expecting exactly `count` bytes stored in one run.
    ///
    /// Reads through `archive_read_data_block`, which reports where each block belongs in the
    /// file: a block that does not follow the previous one means libarchive applied a sparse
    /// map, so what it returns is not the stored bytes.
    /// - Throws: ``Failure`` if libarchive fails, leaves a hole, or returns another number of bytes.
    mutating func readData(count: Int) throws(Failure) -> [UInt8] {
        var data: [UInt8] = []
        data.reserveCapacity(count)
        while true {
            var block: UnsafeRawPointer?
            var size = 0
            var offset: Int64 = 0
            let status = library.readDataBlock(archive, &block, &size, &offset)
            if status == ARCHIVE_EOF { break }  // the padding to the next block is consumed too
            guard status == ARCHIVE_OK else { throw failure("archive_read_data_block", status) }
            guard offset == Int64(data.count), size <= count - data.count else {
                throw Failure(
                    function: "archive_read_data_block", status: status,
                    message: "\(size) bytes at file offset \(offset) after \(data.count) of \(count); the data is not stored in one run"
                )
            }
            if let block { data += UnsafeRawBufferPointer(start: block, count: size) }
        }
        guard data.count == count else {
            throw Failure(function: "archive_read_data_block", status: ARCHIVE_EOF, message: "returned \(data.count) of \(count) bytes")
        }
        return data
    }

    private func failure(_ function: String, _ status: Int32) -> Failure {
        Self.check(library, archive, function, status)
            ?? Failure(function: function, status: status, message: "no entry")
    }

    /// A ``Failure`` with libarchive's message if `status` is below `ARCHIVE_OK`, else `nil`.
    private static func check(_ library: LibArchive, _ archive: OpaquePointer, _ function: String, _ status: Int32) -> Failure? {
        guard status < ARCHIVE_OK else { return nil }  // ARCHIVE_WARN (-20) included
        let message = library.errorString(archive).map { String(decoding: bytes($0), as: UTF8.self) } ?? "no message"
        return Failure(function: function, status: status, message: message)
    }

    /// The bytes of a NUL-terminated C string, as stored (not repaired into UTF-8).
    private static func bytes(_ string: UnsafePointer<CChar>) -> [UInt8] {
        var out: [UInt8] = []
        var cursor = string
        while cursor.pointee != 0 {
            out.append(UInt8(bitPattern: cursor.pointee))
            cursor += 1
        }
        return out
    }

    private static func fileType(_ type: UInt32) -> FileType {
        switch type {
        case UInt32(CArchive_IFREG): .regular
        case UInt32(CArchive_IFDIR): .directory
        case UInt32(CArchive_IFLNK): .symbolicLink
        case UInt32(CArchive_IFCHR): .characterDevice
        case UInt32(CArchive_IFBLK): .blockDevice
        case UInt32(CArchive_IFIFO): .fifo
        case UInt32(CArchive_IFSOCK): .socket
        default: .other(type)
        }
    }
}
