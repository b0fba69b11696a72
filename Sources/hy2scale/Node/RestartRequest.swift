import ServiceLifecycle
import Synchronization

/// A request from the API (after an upgrade) to stop the node so its service manager starts it
/// again; the service group is attached before it runs.
final class RestartRequest: Sendable {
    private let state = Mutex<(group: ServiceGroup?, requested: Bool)>((nil, false))

    func attach(_ group: ServiceGroup) {
        state.withLock { $0.group = group }
    }

    /// Marks the restart and starts a graceful shutdown; in-flight requests still finish.
    func request() async {
        let group = state.withLock { s in
            s.requested = true
            return s.group
        }
        await group?.triggerGracefulShutdown()
    }

    var isRequested: Bool { state.withLock { $0.requested } }
}
