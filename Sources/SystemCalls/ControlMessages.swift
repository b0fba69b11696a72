import CSystemShim
import Glibc

/// The control messages (`cmsghdr`s) of one ``Posix/recvmsg(_:payload:control:flags:)``,
/// walked with the C library's own `CMSG_*` macros, so their layout and alignment are never
/// guessed here.
public struct ControlMessages: Sequence {
    /// One control message: its level and type (`IPPROTO_IP` / `IP_ORIGDSTADDR`) and its data.
    public struct Message: Sendable {
        public var level: Int32
        public var type: Int32
        public var data: [UInt8]
    }

    private let messages: [Message]

    /// Reads the first `count` bytes of `control` as control messages.
    public init(_ control: [UInt8], count: Int) {
        var found: [Message] = []
        var control = control
        control.withUnsafeMutableBytes { raw in
            var header = msghdr()
            header.msg_control = raw.baseAddress
            header.msg_controllen = Swift.min(count, raw.count)
            var current = CSystemShim_CMSG_FIRSTHDR(&header)
            while let message = current {
                let dataLength = Int(message.pointee.cmsg_len) - CSystemShim_CMSG_LEN(0)
                if dataLength >= 0, let data = CSystemShim_CMSG_DATA(message) {
                    found.append(Message(level: message.pointee.cmsg_level, type: message.pointee.cmsg_type,
                                         data: Array(UnsafeRawBufferPointer(start: data, count: dataLength))))
                }
                current = CSystemShim_CMSG_NXTHDR(&header, message)
            }
        }
        messages = found
    }

    /// Bytes a control buffer needs for one message of `dataLength` bytes (`CMSG_SPACE`).
    public static func space(forDataLength dataLength: Int) -> Int {
        CSystemShim_CMSG_SPACE(dataLength)
    }

    public func makeIterator() -> IndexingIterator<[Message]> { messages.makeIterator() }
}
