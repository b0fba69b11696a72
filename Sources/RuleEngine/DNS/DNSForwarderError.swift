/// Why the forwarder cannot serve.
public enum DNSForwarderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The listening socket could not be bound.
    case bindFailed(address: String, reason: String)
    /// ``DNSForwarder/start()`` was called while a socket is bound.
    case alreadyStarted(address: String)
    /// ``DNSForwarder/run()`` was called with no socket bound.
    case notStarted(address: String)

    public var description: String {
        switch self {
        case .bindFailed(let address, let reason):
            "the DNS forwarder cannot listen on \(address) (UDP): \(reason)"
        case .alreadyStarted(let address):
            "the DNS forwarder on \(address) is already listening"
        case .notStarted(let address):
            "the DNS forwarder on \(address) must be started before it runs"
        }
    }
}

/// Why one upstream gave no usable answer; logged, and the next upstream is tried.
enum UpstreamError: Error, CustomStringConvertible {
    case closed
    case emptyMessage
    case unusableAnswer(String)
    case badPort(Int)

    var description: String {
        switch self {
        case .closed: "the connection closed before a whole answer arrived"
        case .emptyMessage: "the upstream sent a zero-length message"
        case .unusableAnswer(let why): "the answer is unusable: \(why)"
        case .badPort(let port): "port \(port) is not a valid port"
        }
    }
}
