public import Logging
import Synchronization

/// A socket the node is listening on: where the config asked for it and where it landed.
public struct BoundListener: Hashable, Sendable {
    /// The listener's resource key: `ui`, `hy2`, `proxy/<id>`, `ss`, `dns`, `capture/tcp/…`.
    public var key: String
    /// The address as the config writes it; its port may be 0, "any free port".
    public var listen: String
    /// The local address of the bound socket, `host:port` (IPv6 hosts bracketed); never port 0.
    public var bound: String

    public init(key: String, listen: String, bound: String) {
        self.key = key
        self.listen = listen
        self.bound = bound
    }

    /// A listener bound at `host` (an IP address as the socket reports it) and `port`.
    public init(key: String, listen: String, host: String, port: Int) {
        self.init(key: key, listen: listen, bound: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
    }

    /// The port of ``bound``.
    public var port: Int {
        guard let colon = bound.lastIndex(of: ":") else { return 0 }
        return Int(bound[bound.index(after: colon)...]) ?? 0
    }
}

/// The listeners bound right now, by key: runtime facts the status endpoint shows, so a config
/// that asks for port 0 can learn which port it got. Each driver records a socket once it is
/// bound and forgets it once it is closed.
public final class BoundListeners: Sendable {
    private let listeners = Mutex<[String: BoundListener]>([:])

    public init() {}

    /// Every bound listener, sorted by key.
    public var all: [BoundListener] {
        listeners.withLock { Array($0.values) }.sorted { $0.key < $1.key }
    }

    /// The listener under `key`, when one is bound.
    public func listener(_ key: String) -> BoundListener? { listeners.withLock { $0[key] } }

    /// Records a bound socket under its key, replacing what was there, and logs one
    /// `listening` line with the configured and the bound address, and `metadata` besides.
    public func record(_ listener: BoundListener, logger: Logger, metadata: Logger.Metadata = [:]) {
        listeners.withLock { $0[listener.key] = listener }
        logger.info("listening", metadata: metadata.merging([
            "listener.key": "\(listener.key)", "listen": "\(listener.listen)", "bound": "\(listener.bound)",
        ]) { _, fixed in fixed })
    }

    /// Forgets the listener under `key` if it is still the one recorded with `bound`, so a
    /// listener that moved is not forgotten by the close of its old socket.
    public func forget(_ key: String, bound: String? = nil) {
        listeners.withLock { listeners in
            if let bound, listeners[key]?.bound != bound { return }
            listeners.removeValue(forKey: key)
        }
    }
}
