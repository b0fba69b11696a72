import Addressing
public import Logging
public import NIOCore
import NodeState

extension InboundGate {
    /// Records a listener's bound socket under its key (see ``listeners``) and logs it, so a
    /// config that asked for port 0 can learn which port it got.
    ///
    /// - Parameter address: what the socket reports; `nil` (or a part it leaves out) means the
    ///   socket bound exactly what `listen` says, as a transparent UDP socket does.
    public func recordListening(key: String, listen: String, at address: SocketAddress?, metadata: Logger.Metadata = [:]) {
        let asked = ListenAddress.parse(listen, allowsPortHopping: true, allowsAnyPort: true)
        let (host, port) = switch asked {
        case .success(let asked): (address?.ipAddress ?? asked.host, address?.port ?? asked.port)
        case .failure: (address?.ipAddress ?? "", address?.port ?? 0)
        }
        listeners.record(BoundListener(key: key, listen: listen, host: host, port: port), logger: logger, metadata: metadata)
    }

    /// Forgets the listener under `key` once its socket is closed.
    public func forgetListening(_ key: String) { listeners.forget(key) }
}
