/// A ``NftSet/Kind/timeouts`` set of table `inet hy2scale`, filled while the service runs.
///
/// The DNS forwarder adds each address it resolved for a domain rule, with a timeout taken from
/// the answer's TTL; the kernel forgets it when the timeout passes. The reconciler only makes
/// sure the set exists and never touches its elements, so these additions are not drift.
public struct NftRuntimeSet: Sendable {
    /// An element as the kernel lists it.
    public struct Element: Hashable, Sendable {
        /// 4 or 16 bytes, network order.
        public let address: [UInt8]
        /// The timeout it was added with.
        public let timeout: Duration?
        /// Time left before the kernel removes it.
        public let expiresIn: Duration?
    }

    public let name: String
    private let socket: NetlinkSocket

    /// The timeout set `name` of table `inet hy2scale`, reached through `socket`.
    /// - Throws: ``NftModelError`` when `name` is not a valid set name.
    public init(name: String, socket: NetlinkSocket) throws(NftModelError) {
        try NftName.validate(name, as: "set")
        self.name = name
        self.socket = socket
    }

    /// Adds `addresses` (or refreshes their timeout) in one batch.
    /// - Throws: ``NftModelError`` for an address that is not 4 or 16 bytes or a timeout under
    ///   a millisecond, before any I/O; ``NftBatchError`` when the kernel refuses (no such set,
    ///   wrong family), in which case none was added.
    public func add(_ addresses: [[UInt8]], timeout: Duration) throws {
        guard !addresses.isEmpty else { return }
        if let bad = addresses.first(where: { IPFamily(addressLength: $0.count) == nil }) {
            throw NftModelError.badAddress("an address has 4 or 16 bytes, got \(bad.count)")
        }
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        guard milliseconds >= 1 else {
            throw NftModelError.badRule("timeout \(timeout) is too short; the kernel counts whole milliseconds")
        }
        try NftBatch.send(through: socket, messageCount: NftBatchWriter.messageCount(forElements: addresses.count)) { writer in
            try writer.addTimedElements(addresses, to: name, timeoutMilliseconds: UInt64(milliseconds))
        }
    }

    /// The set's elements now.
    /// - Throws: ``NetlinkError`` (ENOENT when the set or the table does not exist).
    public func elements() throws -> [Element] {
        try NftTableReader(socket: socket).elements(of: name).map { element in
            Element(address: element.key, timeout: element.timeout.map { .milliseconds($0) },
                    expiresIn: element.expiration.map { .milliseconds($0) })
        }
    }
}
