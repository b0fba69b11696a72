import Glibc

/// The kernel refused an nftables batch: nothing in it was applied (the batch is atomic).
public struct NftBatchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Each refused message, with the kernel's errno, in batch order.
    public let failures: [Failure]

    public struct Failure: Hashable, Sendable, CustomStringConvertible {
        /// The message, as ``NftOperation`` describes it.
        public let message: String
        public let errno: Int32

        /// `add rule to chain output: …: Operation not supported (errno 95)`.
        public var description: String {
            let text = strerror(errno).map { String(cString: $0) } ?? "error"
            return "\(message): \(text) (errno \(errno))"
        }
    }

    /// The first refusals (later ones are mostly about objects the refused ones would have
    /// made), and how many more there were.
    public var description: String {
        let shown = failures.prefix(2).map(\.description).joined(separator: "; ")
        let more = failures.count > 2 ? "; and \(failures.count - 2) more" : ""
        return "the kernel rejected the nftables batch, nothing was changed: \(shown)\(more)"
    }
}
