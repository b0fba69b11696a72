#if canImport(Glibc)
import CoreFoundation
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation

/// A failed file-system call: the C function, the path and `strerror(errno)`.
public struct FileSystemError: Error, CustomStringConvertible, Sendable {
    /// The C function that failed, e.g. `open`.
    public let function: String
    /// The path it was called on.
    public let path: String
    /// The `errno` it set.
    public let errno: Int32

    /// `open(/var/lib/hy2scale/node-id.tmp-…): Permission denied`.
    public var description: String { "\(function)(\(path)): \(reason)" }

    /// `strerror(errno)`, e.g. `Permission denied`.
    public var reason: String { String(cString: strerror(errno)) }
}

/// Small, crash-safe file writes for the state directory.
///
/// A file is written to a temporary sibling with its final mode from the start (so a key is
/// never readable by others, not even briefly), fsynced, and then moved into place, and the
/// directory is fsynced: after a crash the target holds the old or the new content, never a part.
public enum FileIO {
    /// Replaces `url` with `data`, created with permission bits `mode`.
    public static func replace(_ url: URL, with data: Data, mode: UInt32) throws(FileSystemError) {
        let temporary = try writeTemporary(next: url, data: data, mode: mode)
        if rename(temporary, url.path) != 0 {
            let code = errno
            unlink(temporary)
            throw FileSystemError(function: "rename", path: url.path, errno: code)
        }
        try syncDirectory(of: url)
    }

    /// Replaces `url` with `data`, keeping the permission bits it has (a config file a user made
    /// 0640 stays 0640); `defaultMode` when it does not exist or cannot be examined.
    public static func replaceKeepingMode(_ url: URL, with data: Data, defaultMode: UInt32 = 0o600) throws(FileSystemError) {
        var info = stat()
        let mode = stat(url.path, &info) == 0 ? info.st_mode & 0o7777 : defaultMode
        try replace(url, with: data, mode: mode)
    }

    /// Creates `url` with `data` only if it does not exist yet; returns whether it created it.
    ///
    /// The file appears complete or not at all (`link(2)` of a finished temporary file fails with
    /// `EEXIST` instead of overwriting), so two processes racing get the same winner.
    public static func createExclusively(_ url: URL, with data: Data, mode: UInt32) throws(FileSystemError) -> Bool {
        let temporary = try writeTemporary(next: url, data: data, mode: mode)
        defer { unlink(temporary) }
        if link(temporary, url.path) != 0 {
            let code = errno
            if code == EEXIST { return false }
            throw FileSystemError(function: "link", path: url.path, errno: code)
        }
        try syncDirectory(of: url)
        return true
    }

    /// Creates a directory with `mode` unless it exists.
    static func makeDirectory(_ url: URL, mode: mode_t) throws(FileSystemError) {
        if mkdir(url.path, mode) != 0 {
            let code = errno
            guard code == EEXIST else { throw FileSystemError(function: "mkdir", path: url.path, errno: code) }
            var info = stat()
            guard stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw FileSystemError(function: "mkdir", path: url.path, errno: ENOTDIR)
            }
            return
        }
        // mkdir applies the umask; set the mode we mean.
        if chmod(url.path, mode) != 0 {
            throw FileSystemError(function: "chmod", path: url.path, errno: errno)
        }
    }

    /// The contents of `url`, or `nil` if it does not exist; reads at most `limit` bytes.
    static func contents(of url: URL, limit: Int = 1 << 20) throws(FileSystemError) -> Data? {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw FileSystemError(function: "open", path: url.path, errno: errno)
        }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < limit {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(function: "read", path: url.path, errno: errno)
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[..<count])
        }
        return data
    }

    /// Removes the file `url`; returns whether it existed. Call ``syncDirectory(of:)`` after the
    /// last removal to make them durable.
    static func remove(_ url: URL) throws(FileSystemError) -> Bool {
        if unlink(url.path) != 0 {
            let code = errno
            if code == ENOENT { return false }
            throw FileSystemError(function: "unlink", path: url.path, errno: code)
        }
        return true
    }

    /// What ``readRegularFile(_:limit:isAllowed:)`` found.
    enum RegularFileRead {
        case contents(Data)
        /// The opened file's real path was refused by `isAllowed`.
        case notAllowed
        /// A directory, FIFO, device or socket.
        case notRegular
        case tooLarge
    }

    /// `realpath(3)`: `path` absolute, with every symlink, `.` and `..` resolved.
    static func realPath(_ path: String) throws(FileSystemError) -> String {
        guard let resolved = realpath(path, nil) else {
            throw FileSystemError(function: "realpath", path: path, errno: errno)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Reads `path` if it is a regular file of at most `limit` bytes, opened without following a
    /// final symlink and without blocking (a FIFO cannot hang the caller).
    ///
    /// On Linux the real path of the opened descriptor is passed to `isAllowed` before reading,
    /// so a path component swapped for a symlink after the caller checked `path` is caught.
    static func readRegularFile(_ path: String, limit: Int, isAllowed: (String) -> Bool) throws(FileSystemError) -> RegularFileRead {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError(function: "open", path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileSystemError(function: "fstat", path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .notRegular }
        #if os(Linux)
        guard let opened = try? realPath("/proc/self/fd/\(fd)"), isAllowed(opened) else { return .notAllowed }
        #endif
        guard Int(info.st_size) <= limit else { return .tooLarge }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(function: "read", path: path, errno: errno)
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[..<count])
            guard data.count <= limit else { return .tooLarge }  // it grew after fstat
        }
        return .contents(data)
    }

    /// The permission bits of `url`.
    static func mode(of url: URL) throws(FileSystemError) -> mode_t {
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw FileSystemError(function: "stat", path: url.path, errno: errno) }
        return info.st_mode & 0o7777
    }

    /// Writes `data` to a new unique file beside `url` and fsyncs it; returns its path.
    private static func writeTemporary(next url: URL, data: Data, mode: mode_t) throws(FileSystemError) -> String {
        let path = url.path + ".tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileSystemError(function: "open", path: path, errno: errno) }
        var failure: FileSystemError?
        // open() applies the umask; set the mode we mean.
        if fchmod(fd, mode) != 0 { failure = FileSystemError(function: "fchmod", path: path, errno: errno) }
        if failure == nil {
            failure = data.withUnsafeBytes { bytes -> FileSystemError? in
                var offset = 0
                while offset < bytes.count {
                    let written = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return FileSystemError(function: "write", path: path, errno: errno)
                    }
                    offset += written
                }
                return nil
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = FileSystemError(function: "fsync", path: path, errno: errno) }
        if close(fd) != 0, failure == nil { failure = FileSystemError(function: "close", path: path, errno: errno) }
        if let failure {
            unlink(path)
            throw failure
        }
        return path
    }

    /// Fsyncs the directory holding `url`, so a rename or link in it is durable.
    static func syncDirectory(of url: URL) throws(FileSystemError) {
        let directory = url.deletingLastPathComponent().path
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError(function: "open", path: directory, errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw FileSystemError(function: "fsync", path: directory, errno: errno) }
    }
}
