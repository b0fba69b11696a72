import Glibc

/// A netlink or system call failed: which one, and the errno it gave.
public struct NetlinkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was being done, in words: `open netlink socket`, `dump sets of inet hy2scale`.
    public let operation: String
    public let errno: Int32

    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    /// `dump sets of inet hy2scale: Operation not permitted (errno 1)`.
    public var description: String { "\(operation): \(Self.text(errno)) (errno \(errno))" }

    /// The C library's text for `code`.
    static func text(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }
}

/// The kernel refused an nftables batch: nothing in it was applied (the batch is atomic).
public struct NftBatchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Each refused message, with the kernel's errno, in batch order.
    public let failures: [Failure]

    public struct Failure: Hashable, Sendable, CustomStringConvertible {
        /// The message, as ``NftOperation`` describes it.
        public let message: String
        public let errno: Int32

        public var description: String { "\(message): \(NetlinkError.text(errno)) (errno \(errno))" }
    }

    /// The first refusals (later ones are mostly messages about objects the refused ones would
    /// have made), and how many more there were.
    public var description: String {
        let shown = failures.prefix(2).map(\.description).joined(separator: "; ")
        let more = failures.count > 2 ? "; and \(failures.count - 2) more" : ""
        return "the kernel rejected the nftables batch, nothing was changed: \(shown)\(more)"
    }
}
