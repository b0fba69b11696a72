#if canImport(Glibc)
import Glibc
#endif

/// The libarchive functions ``TarStream`` calls, found in the library when a tar stream is first
/// read rather than linked at start-up: only an uploaded backup or upgrade is ever read, and
/// libarchive brings ten libraries of its own (libxml2, ICU, four compressors) that an idle node
/// would otherwise keep mapped, 1.4 MiB resident for nothing.
///
/// The types are those of `archive.h` and `archive_entry.h` (libarchive 3), whose ABI has kept
/// these signatures since 3.0; the package depends on `libarchive13`.
struct LibArchive: Sendable {
    typealias Archive = OpaquePointer
    typealias Entry = OpaquePointer

    let readNew: @convention(c) () -> Archive?
    let readSupportFormatTar: @convention(c) (Archive?) -> Int32
    let readFree: @convention(c) (Archive?) -> Int32
    let readOpenMemory: @convention(c) (Archive?, UnsafeRawPointer?, Int) -> Int32
    let readNextHeader: @convention(c) (Archive?, UnsafeMutablePointer<Entry?>?) -> Int32
    let readHeaderPosition: @convention(c) (Archive?) -> Int64
    let readDataBlock: @convention(c) (Archive?, UnsafeMutablePointer<UnsafeRawPointer?>?, UnsafeMutablePointer<Int>?,
                                       UnsafeMutablePointer<Int64>?) -> Int32
    let filterBytes: @convention(c) (Archive?, Int32) -> Int64
    let errorString: @convention(c) (Archive?) -> UnsafePointer<CChar>?
    let entryPathname: @convention(c) (Entry?) -> UnsafePointer<CChar>?
    let entryFiletype: @convention(c) (Entry?) -> UInt32
    let entryPerm: @convention(c) (Entry?) -> UInt32
    let entryMtime: @convention(c) (Entry?) -> Int
    let entrySizeIsSet: @convention(c) (Entry?) -> Int32
    let entrySize: @convention(c) (Entry?) -> Int64
    let entryHardlink: @convention(c) (Entry?) -> UnsafePointer<CChar>?
    let entrySymlink: @convention(c) (Entry?) -> UnsafePointer<CChar>?

    /// The library's file name: the soname of libarchive 3.
    static let soname = "libarchive.so.13"

    /// Loaded once, on first use; the library stays loaded for the life of the process.
    static let loaded: Result<LibArchive, ArchiveError> = {
        do throws(ArchiveError) {
            return .success(try LibArchive(soname: soname))
        } catch {
            return .failure(error)
        }
    }()

    /// Loads libarchive from the file `soname` (``soname`` but in tests, which name a missing one).
    init(soname: String) throws(ArchiveError) {
        guard let handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "no reason given"
            throw ArchiveError(.libarchiveFailure, "cannot load \(soname), which reads uploaded archives (Debian package libarchive13): \(reason)")
        }
        func function<F>(_ name: String) throws(ArchiveError) -> F {
            guard let address = dlsym(handle, name) else {
                throw ArchiveError(.libarchiveFailure, "\(soname) has no \(name)")
            }
            return unsafeBitCast(address, to: F.self)
        }
        readNew = try function("archive_read_new")
        readSupportFormatTar = try function("archive_read_support_format_tar")
        readFree = try function("archive_read_free")
        readOpenMemory = try function("archive_read_open_memory")
        readNextHeader = try function("archive_read_next_header")
        readHeaderPosition = try function("archive_read_header_position")
        readDataBlock = try function("archive_read_data_block")
        filterBytes = try function("archive_filter_bytes")
        errorString = try function("archive_error_string")
        entryPathname = try function("archive_entry_pathname")
        entryFiletype = try function("archive_entry_filetype")
        entryPerm = try function("archive_entry_perm")
        entryMtime = try function("archive_entry_mtime")
        entrySizeIsSet = try function("archive_entry_size_is_set")
        entrySize = try function("archive_entry_size")
        entryHardlink = try function("archive_entry_hardlink")
        entrySymlink = try function("archive_entry_symlink")
    }
}
