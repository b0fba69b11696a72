import Dispatch
import Glibc

/// An inotify watch on one directory, delivering the names of changed entries.
///
/// The only code that touches inotify. Owns its descriptor: ``stop()`` (or the end of the
/// dispatch source) closes it.
final class Inotify {
    private let source: any DispatchSourceRead

    /// Entry events that can replace or rewrite a file, and the directory itself going away.
    private static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM
                                     | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

    /// Starts watching `directory`.
    /// - Parameter onEvent: called on a private queue with the entry name, or `nil` for an event
    ///   on the directory itself or an overflow (treat as "anything may have changed").
    init(directory: String, onEvent: @escaping @Sendable (String?) -> Void) throws(WatchError) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw WatchError(call: "inotify_init1", errno: errno, path: directory) }
        guard inotify_add_watch(fd, directory, Self.mask) >= 0 else {
            let code = errno
            close(fd)
            throw WatchError(call: "inotify_add_watch", errno: code, path: directory)
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "hy2scale.inotify"))
        source.setEventHandler {
            for name in Self.drain(fd) { onEvent(name) }
        }
        source.setCancelHandler { close(fd) }
        self.source = source
        source.resume()
    }

    /// Stops watching and closes the descriptor.
    func stop() { source.cancel() }

    /// Reads every queued event; `struct inotify_event` is a fixed header followed by `len`
    /// bytes of NUL-padded name.
    private static func drain(_ fd: Int32) -> [String?] {
        var names: [String?] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            buffer.withUnsafeBytes { raw in
                var offset = 0
                let header = MemoryLayout<inotify_event>.size
                while offset + header <= n {
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = raw[(offset + header)..<min(n, offset + header + length)].prefix { $0 != 0 }
                    if mask & UInt32(IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF) != 0 || nameBytes.isEmpty {
                        names.append(nil)
                    } else {
                        names.append(String(decoding: nameBytes, as: UTF8.self))
                    }
                    offset += header + length
                }
            }
        }
        return names
    }
}

/// A watch could not be set up: names the call, the error and the directory.
public struct WatchError: Error, CustomStringConvertible {
    public var call: String
    public var errno: Int32
    public var path: String
    public var description: String { "\(call)(\(path)) failed: \(String(cString: strerror(errno)))" }
}
