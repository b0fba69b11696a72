import Dispatch
import Glibc
import SystemCalls

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
        let fd: Int32
        do throws(SystemCallError) {
            fd = try Linux.inotifyInit(Int32(IN_NONBLOCK | IN_CLOEXEC))
        } catch {
            throw WatchError(call: error.call, errno: error.errno, path: directory)
        }
        do throws(SystemCallError) {
            try Linux.inotifyAddWatch(fd, directory, Self.mask)
        } catch {
            _ = try? Posix.close(fd)  // the watch error is the one to report
            throw WatchError(call: error.call, errno: error.errno, path: directory)
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "hy2scale.inotify"))
        source.setEventHandler {
            for name in Self.drain(fd) { onEvent(name) }
        }
        source.setCancelHandler { _ = try? Posix.close(fd) }  // an inotify descriptor has nothing to flush
        self.source = source
        source.resume()
    }

    /// Stops watching and closes the descriptor.
    func stop() { source.cancel() }

    /// Reads every queued event; stops at the first read error, as an empty queue does.
    private static func drain(_ fd: Int32) -> [String?] {
        var names: [String?] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while let events = try? Linux.readInotifyEvents(fd, into: &buffer), !events.isEmpty {
            for event in events {
                let isWholeDirectory = event.mask & UInt32(IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF) != 0
                names.append(isWholeDirectory ? nil : event.name)
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
