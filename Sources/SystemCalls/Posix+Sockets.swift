public import CSystemShim  // sockaddr_storage comes through it
public import Glibc  // sockaddr_un

/// A datagram `recvmsg(2)` read: how much of each buffer it filled, and from where.
public struct ReceivedMessage: Sendable {
    /// Payload bytes at the start of the payload buffer.
    public var count: Int
    /// Whether the payload was longer than the buffer and cut (`MSG_TRUNC`).
    public var isTruncated: Bool
    /// The sender's address (`sockaddr_in`, `sockaddr_in6`, … by `ss_family`).
    public var source: sockaddr_storage
    /// Control message bytes at the start of the control buffer.
    public var controlCount: Int
}

extension Posix {
    /// `socket(2)`; `type` may carry `SOCK_CLOEXEC` and `SOCK_NONBLOCK`.
    public static func socket(_ domain: Int32, _ type: Int32, _ protocol: Int32 = 0) throws(SystemCallError) -> Int32 {
        try syscall("socket") { Glibc.socket(domain, type, `protocol`) }
    }

    /// `setsockopt(2)` with an integer value (an `int` flag, a `u32` mark).
    public static func setsockopt<Value: FixedWidthInteger>(_ descriptor: Int32, _ level: Int32, _ name: Int32,
                                                            _ value: Value) throws(SystemCallError) {
        var value = value
        try syscall("setsockopt") {
            Glibc.setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Value>.size))
        }
    }

    /// `bind(2)` to `address`, a `sockaddr_in`, `sockaddr_in6` or `sockaddr_nl` whose size is the
    /// address length.
    public static func bind<Address>(_ descriptor: Int32, to address: Address) throws(SystemCallError) {
        try withSocketAddress(address) { pointer, length in
            Result { () throws(SystemCallError) in _ = try syscall("bind") { Glibc.bind(descriptor, pointer, length) } }
        }.get()
    }

    /// `connect(2)` to `address` (as for ``bind(_:to:)``), blocking until it is connected.
    public static func connect<Address>(_ descriptor: Int32, to address: Address) throws(SystemCallError) {
        try withSocketAddress(address) { pointer, length in
            Result { () throws(SystemCallError) in _ = try syscall("connect") { Glibc.connect(descriptor, pointer, length) } }
        }.get()
    }

    /// A `sockaddr_un` for the file `path`; `ENAMETOOLONG` when the path does not fit (107 bytes).
    public static func unixAddress(_ path: String) throws(SystemCallError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity, !bytes.contains(0) else { throw SystemCallError(call: "sockaddr_un", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        return address
    }

    /// `sendto(2)` of `bytes` to `address` (as for ``bind(_:to:)``); returns the bytes sent.
    @discardableResult
    public static func sendto<Address>(_ descriptor: Int32, _ bytes: [UInt8], flags: Int32 = 0,
                                       to address: Address) throws(SystemCallError) -> Int {
        try withSocketAddress(address) { pointer, length in
            bytes.withUnsafeBytes { raw in
                Result { () throws(SystemCallError) in
                    try syscall("sendto") { Glibc.sendto(descriptor, raw.baseAddress, raw.count, flags, pointer, length) }
                }
            }
        }.get()
    }

    /// `recv(2)` into the start of `buffer`; returns the byte count.
    public static func recv(_ descriptor: Int32, into buffer: inout [UInt8], flags: Int32 = 0) throws(SystemCallError) -> Int {
        try buffer.withUnsafeMutableBytes { raw in
            Result { () throws(SystemCallError) in try syscall("recv") { Glibc.recv(descriptor, raw.baseAddress, raw.count, flags) } }
        }.get()
    }

    /// `getsockname(2)`: the address a socket is bound to (the port the kernel chose for port 0).
    public static func getsockname(_ descriptor: Int32) throws(SystemCallError) -> sockaddr_storage {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutableBytes(of: &address) { raw in
            Result { () throws(SystemCallError) in
                try syscall("getsockname") {
                    Glibc.getsockname(descriptor, raw.baseAddress?.assumingMemoryBound(to: sockaddr.self), &length)
                }
            }
        }.get()
        return address
    }

    /// `recvmsg(2)` of one datagram: its payload into the start of `payload`, its control
    /// messages (read them with ``ControlMessages``) into the start of `control`.
    public static func recvmsg(_ descriptor: Int32, payload: inout [UInt8], control: inout [UInt8],
                               flags: Int32 = 0) throws(SystemCallError) -> ReceivedMessage {
        var source = sockaddr_storage()
        return try payload.withUnsafeMutableBytes { payloadBytes in
            control.withUnsafeMutableBytes { controlBytes in
                withUnsafeMutableBytes(of: &source) { sourceBytes in
                    var vector = iovec(iov_base: payloadBytes.baseAddress, iov_len: payloadBytes.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        var message = msghdr(
                            msg_name: sourceBytes.baseAddress, msg_namelen: socklen_t(sourceBytes.count),
                            msg_iov: vectorPointer, msg_iovlen: 1,
                            msg_control: controlBytes.baseAddress, msg_controllen: controlBytes.count, msg_flags: 0)
                        return Result { () throws(SystemCallError) in
                            let count = try syscall("recvmsg") { Glibc.recvmsg(descriptor, &message, flags) }
                            return ReceivedMessage(
                                count: count, isTruncated: message.msg_flags & Int32(MSG_TRUNC) != 0,
                                source: sourceBytes.load(as: sockaddr_storage.self),
                                controlCount: Int(message.msg_controllen))
                        }
                    }
                }
            }
        }.get()
    }

    private static func withSocketAddress<Address, Success>(
        _ address: Address, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result<Success, SystemCallError>
    ) -> Result<Success, SystemCallError> {
        withUnsafeBytes(of: address) { raw in
            // Only an empty type has no bytes to point at; no sockaddr_* is one.
            guard let base = raw.baseAddress else { return .failure(SystemCallError(call: "sockaddr", errno: EINVAL)) }
            return body(base.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
    }
}
