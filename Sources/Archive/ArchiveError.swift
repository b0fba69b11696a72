/// Why bytes are not an archive this project accepts, or why one could not be written.
///
/// The message says what is wrong, where (the entry's byte offset and path when known), and what
/// would be accepted. Errors compare by ``code`` only, so callers can match the kind of failure
/// without depending on the wording.
public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable identifier of the kind of problem.
    public enum Code: String, Sendable {
        /// The bytes are not a gzip stream, or the stream is damaged.
        case corruptGzip
        /// The gzip stream ends before its trailer.
        case truncatedGzip
        /// Bytes follow the end of the gzip stream.
        case trailingGzipData
        /// The decompressed data would exceed the caller's limit.
        case decompressedTooLarge
        /// The input is larger than zlib can take in one call.
        case inputTooLarge
        /// zlib failed for a reason other than the data (out of memory, version mismatch).
        case zlibFailure
        /// libarchive could not be loaded (not installed) or set up to read (out of memory).
        case libarchiveFailure
        /// The tar data ends inside a header, inside a file's data, or before the end marker.
        case truncatedTar
        /// A header's stored checksum does not match its bytes.
        case badChecksum
        /// A header is not in ustar format (no `ustar` magic).
        case notUstar
        /// A numeric header field is not a valid octal number.
        case badHeaderField
        /// An entry is a link, device, FIFO, extended header or anything but a file or directory.
        case unsupportedEntryType
        /// A path is absolute, has `..` or empty components, is empty, or is not UTF-8.
        case invalidPath
        /// A path does not fit the ustar name and prefix fields.
        case pathTooLong
        /// Two entries have the same path.
        case duplicatePath
        /// One file is larger than the caller's per-file limit.
        case fileTooLarge
        /// The files together are larger than the caller's total limit, or there are too many.
        case archiveTooLarge
        /// Non-zero bytes follow the end-of-archive marker.
        case trailingTarData
        /// A mode or modification time is outside what a ustar header can hold.
        case invalidAttribute
    }

    /// The kind of problem.
    public var code: Code
    /// A one-line diagnostic for people.
    public var message: String

    /// Makes an error of kind `code` with the diagnostic `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The diagnostic text.
    public var description: String { message }

    /// Two errors are equal when their codes are; the message is for people only.
    public static func == (lhs: ArchiveError, rhs: ArchiveError) -> Bool { lhs.code == rhs.code }
}
