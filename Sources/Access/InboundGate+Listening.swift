public import NIOCore
import NodeState

extension InboundGate {
    /// Records a listener's bound socket under its key (see ``listeners``) and logs it, so a
    /// config that asked for port 0 can learn which port it got.
    public func recordListening(key: String, listen: String, at address: SocketAddress) {
        listeners.record(BoundListener(key: key, listen: listen, host: address.ipAddress ?? "", port: address.port ?? 0),
                         logger: logger)
    }

    /// Forgets the listener under `key` once its socket is closed.
    public func forgetListening(_ key: String) { listeners.forget(key) }
}
