import Glibc

extension Linux {
    /// One `struct inotify_event`: what happened, and to which entry of the watched directory.
    public struct InotifyEvent: Hashable, Sendable {
        /// `IN_*` bits.
        public var mask: UInt32
        /// The entry's name; `nil` for an event on the directory itself or a queue overflow.
        public var name: String?
    }

    /// `inotify_init1(2)`.
    public static func inotifyInit(_ flags: Int32) throws(SystemCallError) -> Int32 {
        try syscall("inotify_init1") { inotify_init1(flags) }
    }

    /// `inotify_add_watch(2)`; returns the watch descriptor.
    @discardableResult
    public static func inotifyAddWatch(_ descriptor: Int32, _ path: String, _ mask: UInt32) throws(SystemCallError) -> Int32 {
        try syscall("inotify_add_watch") { inotify_add_watch(descriptor, path, mask) }
    }

    /// Reads the events queued on an inotify descriptor into `buffer` and decodes them; empty
    /// when none are queued (`EAGAIN` on a non-blocking descriptor).
    ///
    /// `struct inotify_event` is a fixed header followed by `len` bytes of NUL-padded name
    /// (inotify(7)); `buffer` must hold at least one event with a name (`NAME_MAX + 1` bytes
    /// past the header).
    public static func readInotifyEvents(_ descriptor: Int32, into buffer: inout [UInt8]) throws(SystemCallError) -> [InotifyEvent] {
        let count: Int
        do throws(SystemCallError) {
            count = try Posix.read(descriptor, into: &buffer)
        } catch where error.errno == EAGAIN {
            return []
        }
        let header = MemoryLayout<inotify_event>.size
        let maskOffset = MemoryLayout<inotify_event>.offset(of: \.mask) ?? 4
        let lengthOffset = MemoryLayout<inotify_event>.offset(of: \.len) ?? 12
        var events: [InotifyEvent] = []
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset + header <= count {
                let mask = raw.loadUnaligned(fromByteOffset: offset + maskOffset, as: UInt32.self)
                let length = Int(raw.loadUnaligned(fromByteOffset: offset + lengthOffset, as: UInt32.self))
                let name = raw[(offset + header)..<min(count, offset + header + length)].prefix { $0 != 0 }
                events.append(InotifyEvent(mask: mask, name: name.isEmpty ? nil : String(decoding: name, as: UTF8.self)))
                offset += header + length
            }
        }
        return events
    }
}
