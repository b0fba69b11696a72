public import CSystemShim  // the C types in signatures (mode_t, stat, ifreq) come through it
public import Glibc

/// The C library's calls that hy2scale makes itself, each wrapped once: `EINTR` is retried and
/// a failure throws ``SystemCallError`` naming the call. Sockets NIO manages are not here; NIO
/// has its own layer for them.
///
/// No pointer crosses this API: buffers are arrays passed `inout`, addresses are the C structs
/// by value.
public enum Posix {}

// MARK: Descriptors

extension Posix {
    /// `open(2)`; `mode` matters only with `O_CREAT`.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) throws(SystemCallError) -> Int32 {
        try syscall("open") { Glibc.open(path, flags, mode) }
    }

    /// `close(2)`. Not retried on `EINTR`: Linux has released the descriptor by then, and a retry
    /// could close one another thread has just been given (NIO does the same).
    public static func close(_ descriptor: Int32) throws(SystemCallError) {
        guard Glibc.close(descriptor) == -1 else { return }
        let code = Glibc.errno
        guard code == EINTR else { throw SystemCallError(call: "close", errno: code) }
    }

    /// `read(2)` into the start of `buffer`; returns the byte count, 0 at end of file.
    public static func read(_ descriptor: Int32, into buffer: inout [UInt8]) throws(SystemCallError) -> Int {
        try buffer.withUnsafeMutableBytes { raw in
            Result { () throws(SystemCallError) in try syscall("read") { Glibc.read(descriptor, raw.baseAddress, raw.count) } }
        }.get()
    }

    /// `write(2)` of `bytes`; returns how many were written, which may be fewer.
    public static func write(_ descriptor: Int32, _ bytes: ArraySlice<UInt8>) throws(SystemCallError) -> Int {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(SystemCallError) in try syscall("write") { Glibc.write(descriptor, raw.baseAddress, raw.count) } }
        }.get()
    }

    /// Writes all of `bytes`, however many `write(2)` calls that takes.
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            offset += try write(descriptor, bytes[offset...])
        }
    }

    /// `fcntl(2)` with an integer argument (`F_GETFL`, `F_SETFL`); returns its result.
    @discardableResult
    public static func fcntl(_ descriptor: Int32, _ command: Int32, _ argument: Int32 = 0) throws(SystemCallError) -> Int32 {
        try syscall("fcntl") { CSystemShim_fcntl_int(descriptor, command, argument) }
    }

    /// Adds `O_NONBLOCK` to the descriptor's status flags.
    public static func setNonBlocking(_ descriptor: Int32) throws(SystemCallError) {
        let flags = try fcntl(descriptor, F_GETFL)
        try fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    }

    /// `poll(2)` on `descriptors`, updating their `revents`; returns how many are ready (0 when
    /// `timeout` milliseconds passed first; -1 waits for ever).
    public static func poll(_ descriptors: inout [pollfd], timeout: Int32) throws(SystemCallError) -> Int {
        let count = try descriptors.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(SystemCallError) in
                try syscall("poll") { Glibc.poll(buffer.baseAddress, nfds_t(buffer.count), timeout) }
            }
        }.get()
        return Int(count)
    }

    /// `fsync(2)`.
    public static func fsync(_ descriptor: Int32) throws(SystemCallError) {
        try syscall("fsync") { Glibc.fsync(descriptor) }
    }

    /// `fchmod(2)`.
    public static func fchmod(_ descriptor: Int32, _ mode: mode_t) throws(SystemCallError) {
        try syscall("fchmod") { Glibc.fchmod(descriptor, mode) }
    }

    /// `fstat(2)`.
    public static func fstat(_ descriptor: Int32) throws(SystemCallError) -> stat {
        var info = Glibc.stat()
        try syscall("fstat") { Glibc.fstat(descriptor, &info) }
        return info
    }

    /// `ioctl(2)` with a `struct ifreq` (`TUNSETIFF`).
    public static func ioctl(_ descriptor: Int32, _ request: UInt, _ argument: inout ifreq) throws(SystemCallError) {
        try syscall("ioctl") { CSystemShim_ioctl_ifreq(descriptor, request, &argument) }
    }
}

// MARK: Paths

extension Posix {
    /// `stat(2)`.
    public static func stat(_ path: String) throws(SystemCallError) -> stat {
        var info = Glibc.stat()
        try syscall("stat") { statPath(path, &info) }
        return info
    }

    /// `mkdir(2)`; the umask applies to `mode`.
    public static func mkdir(_ path: String, _ mode: mode_t) throws(SystemCallError) {
        try syscall("mkdir") { Glibc.mkdir(path, mode) }
    }

    /// `chmod(2)`.
    public static func chmod(_ path: String, _ mode: mode_t) throws(SystemCallError) {
        try syscall("chmod") { Glibc.chmod(path, mode) }
    }

    /// `rename(2)`.
    public static func rename(_ source: String, _ destination: String) throws(SystemCallError) {
        try syscall("rename") { Glibc.rename(source, destination) }
    }

    /// `link(2)`; fails with `EEXIST` rather than replace `destination`.
    public static func link(_ source: String, _ destination: String) throws(SystemCallError) {
        try syscall("link") { Glibc.link(source, destination) }
    }

    /// `unlink(2)`.
    public static func unlink(_ path: String) throws(SystemCallError) {
        try syscall("unlink") { Glibc.unlink(path) }
    }

    /// `access(2)`: throws unless the caller may use `path` for `mode` (`R_OK | W_OK`).
    public static func access(_ path: String, _ mode: Int32) throws(SystemCallError) {
        try syscall("access") { Glibc.access(path, mode) }
    }

    /// `realpath(3)`: `path` absolute, with every symlink, `.` and `..` resolved.
    public static func realPath(_ path: String) throws(SystemCallError) -> String {
        guard let resolved = Glibc.realpath(path, nil) else {
            throw SystemCallError(call: "realpath", errno: Glibc.errno)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

// MARK: Process and terminal

extension Posix {
    /// `getrlimit(2)` for `resource` (`RLIMIT_NOFILE`).
    public static func getrlimit(_ resource: __rlimit_resource) throws(SystemCallError) -> rlimit {
        var limit = rlimit()
        try syscall("getrlimit") { Glibc.getrlimit(__rlimit_resource_t(resource.rawValue), &limit) }
        return limit
    }

    /// `setrlimit(2)` for `resource`.
    public static func setrlimit(_ resource: __rlimit_resource, _ limit: rlimit) throws(SystemCallError) {
        var limit = limit
        try syscall("setrlimit") { Glibc.setrlimit(__rlimit_resource_t(resource.rawValue), &limit) }
    }

    /// `isatty(3)`: whether `descriptor` is a terminal.
    public static func isTerminal(_ descriptor: Int32) -> Bool {
        Glibc.isatty(descriptor) == 1
    }

    /// `tcgetattr(3)`.
    public static func tcgetattr(_ descriptor: Int32) throws(SystemCallError) -> termios {
        var settings = termios()
        try syscall("tcgetattr") { Glibc.tcgetattr(descriptor, &settings) }
        return settings
    }

    /// `tcsetattr(3)`, applied as `action` says (`TCSAFLUSH`).
    public static func tcsetattr(_ descriptor: Int32, _ action: Int32, _ settings: termios) throws(SystemCallError) {
        var settings = settings
        try syscall("tcsetattr") { Glibc.tcsetattr(descriptor, action, &settings) }
    }
}

/// `stat(2)` by path, at file scope: inside ``Posix`` the name `stat` is taken by the wrapper and
/// the struct.
private func statPath(_ path: String, _ info: inout stat) -> Int32 {
    stat(path, &info)
}
