import CoreFoundation  // the fields of struct stat are declared through it
public import Foundation
import Glibc
import SystemCalls

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

    /// A failed call of ``FileIO`` on `path`.
    init(_ error: SystemCallError, path: String) {
        self.init(function: error.call, path: path, errno: error.errno)
    }

    init(function: String, path: String, errno: Int32) {
        self.function = function
        self.path = path
        self.errno = errno
    }
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
        do throws(SystemCallError) {
            try Posix.rename(temporary, url.path)
        } catch {
            _ = try? Posix.unlink(temporary)  // best effort: the rename error is the one to report
            throw FileSystemError(error, path: url.path)
        }
        try syncDirectory(of: url)
    }

    /// Replaces `url` with `data`, keeping the permission bits it has (a config file a user made
    /// 0640 stays 0640); `defaultMode` when it does not exist or cannot be examined.
    public static func replaceKeepingMode(_ url: URL, with data: Data, defaultMode: UInt32 = 0o600) throws(FileSystemError) {
        // A file that cannot be examined gets the default mode (documented above).
        let mode = (try? Posix.stat(url.path)).map { $0.st_mode & 0o7777 } ?? defaultMode
        try replace(url, with: data, mode: mode)
    }

    /// Creates `url` with `data` only if it does not exist yet; returns whether it created it.
    ///
    /// The file appears complete or not at all (`link(2)` of a finished temporary file fails with
    /// `EEXIST` instead of overwriting), so two processes racing get the same winner.
    public static func createExclusively(_ url: URL, with data: Data, mode: UInt32) throws(FileSystemError) -> Bool {
        let temporary = try writeTemporary(next: url, data: data, mode: mode)
        defer { _ = try? Posix.unlink(temporary) }  // best effort: a temporary file
        do throws(SystemCallError) {
            try Posix.link(temporary, url.path)
        } catch where error.errno == EEXIST {
            return false
        } catch {
            throw FileSystemError(error, path: url.path)
        }
        try syncDirectory(of: url)
        return true
    }

    /// Creates a directory with `mode` unless it exists.
    static func makeDirectory(_ url: URL, mode: mode_t) throws(FileSystemError) {
        do throws(SystemCallError) {
            try Posix.mkdir(url.path, mode)
        } catch where error.errno == EEXIST {
            guard let info = try? Posix.stat(url.path), (info.st_mode & S_IFMT) == S_IFDIR else {
                throw FileSystemError(function: "mkdir", path: url.path, errno: ENOTDIR)
            }
            return
        } catch {
            throw FileSystemError(error, path: url.path)
        }
        // mkdir applies the umask; set the mode we mean.
        try call(on: url.path) { () throws(SystemCallError) in try Posix.chmod(url.path, mode) }
    }

    /// The contents of `url`, or `nil` if it does not exist; reads at most `limit` bytes.
    static func contents(of url: URL, limit: Int = 1 << 20) throws(FileSystemError) -> Data? {
        let fd: Int32
        do throws(SystemCallError) {
            fd = try Posix.open(url.path, O_RDONLY | O_CLOEXEC)
        } catch where error.errno == ENOENT {
            return nil
        } catch {
            throw FileSystemError(error, path: url.path)
        }
        defer { _ = try? Posix.close(fd) }  // read-only: nothing to lose
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < limit {
            let count = try call(on: url.path) { () throws(SystemCallError) in try Posix.read(fd, into: &buffer) }
            if count == 0 { break }
            data.append(contentsOf: buffer[..<count])
        }
        return data
    }

    /// Removes the file `url`; returns whether it existed. Call ``syncDirectory(of:)`` after the
    /// last removal to make them durable.
    static func remove(_ url: URL) throws(FileSystemError) -> Bool {
        do throws(SystemCallError) {
            try Posix.unlink(url.path)
        } catch where error.errno == ENOENT {
            return false
        } catch {
            throw FileSystemError(error, path: url.path)
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
        try call(on: path) { () throws(SystemCallError) in try Posix.realPath(path) }
    }

    /// Reads `path` if it is a regular file of at most `limit` bytes, opened without following a
    /// final symlink and without blocking (a FIFO cannot hang the caller).
    ///
    /// On Linux the real path of the opened descriptor is passed to `isAllowed` before reading,
    /// so a path component swapped for a symlink after the caller checked `path` is caught.
    static func readRegularFile(_ path: String, limit: Int, isAllowed: (String) -> Bool) throws(FileSystemError) -> RegularFileRead {
        let fd = try call(on: path) { () throws(SystemCallError) in
            try Posix.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        }
        defer { _ = try? Posix.close(fd) }  // read-only: nothing to lose
        let info = try call(on: path) { () throws(SystemCallError) in try Posix.fstat(fd) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .notRegular }
        guard let opened = try? realPath("/proc/self/fd/\(fd)"), isAllowed(opened) else { return .notAllowed }
        guard Int(info.st_size) <= limit else { return .tooLarge }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = try call(on: path) { () throws(SystemCallError) in try Posix.read(fd, into: &buffer) }
            if count == 0 { break }
            data.append(contentsOf: buffer[..<count])
            guard data.count <= limit else { return .tooLarge }  // it grew after fstat
        }
        return .contents(data)
    }

    /// The permission bits of `url`.
    static func mode(of url: URL) throws(FileSystemError) -> mode_t {
        try call(on: url.path) { () throws(SystemCallError) in try Posix.stat(url.path) }.st_mode & 0o7777
    }

    /// Writes `data` to a new unique file beside `url` and fsyncs it; returns its path.
    private static func writeTemporary(next url: URL, data: Data, mode: mode_t) throws(FileSystemError) -> String {
        let path = url.path + ".tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let fd = try call(on: path) { () throws(SystemCallError) in
            try Posix.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: mode)
        }
        var failure: SystemCallError?
        do throws(SystemCallError) {
            // open() applies the umask; set the mode we mean.
            try Posix.fchmod(fd, mode)
            try Posix.writeAll(fd, [UInt8](data))
            try Posix.fsync(fd)
        } catch {
            failure = error
        }
        do throws(SystemCallError) { try Posix.close(fd) } catch { failure = failure ?? error }
        if let failure {
            _ = try? Posix.unlink(path)  // best effort: the write error is the one to report
            throw FileSystemError(failure, path: path)
        }
        return path
    }

    /// Fsyncs the directory holding `url`, so a rename or link in it is durable.
    static func syncDirectory(of url: URL) throws(FileSystemError) {
        let directory = url.deletingLastPathComponent().path
        let fd = try call(on: directory) { () throws(SystemCallError) in try Posix.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { _ = try? Posix.close(fd) }  // a directory descriptor: nothing to lose
        try call(on: directory) { () throws(SystemCallError) in try Posix.fsync(fd) }
    }

    /// Runs `body`, reporting a failed system call as a ``FileSystemError`` on `path`.
    private static func call<T>(on path: String, _ body: () throws(SystemCallError) -> T) throws(FileSystemError) -> T {
        do throws(SystemCallError) {
            return try body()
        } catch {
            throw FileSystemError(error, path: path)
        }
    }
}
