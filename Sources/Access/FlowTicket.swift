package import NIOConcurrencyHelpers
public import Routing
package import Synchronization

/// One admitted flow: counts its bytes and can be ended from anywhere (kick, quota, expiry,
/// a revoked account, a removed listener).
///
/// Created by ``InboundGate/admit(_:account:listenerKey:)``; the relay that carries the flow attaches its
/// closer and calls ``finish()`` when the flow ends by itself.
public final class FlowTicket: Sendable {
    public let id: UInt64
    public let identity: Identity
    /// The account the flow runs under; `nil` for anonymous flows.
    public let account: Account?
    /// Which listener admitted it, so removing the listener ends its flows.
    public let listenerKey: String
    /// The device session it counts towards, computed once.
    package let sessionKey: String
    /// Bytes from and to the client so far; read by the session listing without a lock.
    package let bytesFromClient = Atomic<UInt64>(0)
    package let bytesToClient = Atomic<UInt64>(0)
    private let closer = NIOLockedValueBox<(@Sendable () -> Void)?>(nil)
    private let isEnded = Atomic<Bool>(false)
    private let onBytes: @Sendable (FlowTicket, UInt64, UInt64) -> Void
    private let onFinish: @Sendable (FlowTicket) -> Void

    package init(id: UInt64, identity: Identity, account: Account?, listenerKey: String,
         onBytes: @escaping @Sendable (FlowTicket, UInt64, UInt64) -> Void,
         onFinish: @escaping @Sendable (FlowTicket) -> Void) {
        self.id = id
        self.identity = identity
        self.account = account
        self.listenerKey = listenerKey
        sessionKey = identity.sessionKey
        self.onBytes = onBytes
        self.onFinish = onFinish
    }

    /// Counts bytes from the client (`up`) and to the client (`down`).
    public func count(up: UInt64 = 0, down: UInt64 = 0) {
        if up != 0 { bytesFromClient.add(up, ordering: .relaxed) }
        if down != 0 { bytesToClient.add(down, ordering: .relaxed) }
        onBytes(self, up, down)
    }

    /// Sets what ends the flow; when the flow was ended already, `close` runs at once.
    public func attach(close: @escaping @Sendable () -> Void) {
        let runNow = closer.withLockedValue { slot -> Bool in
            if isEnded.load(ordering: .acquiring) { return true }
            slot = close
            return false
        }
        if runNow { close() }
    }

    /// Ends the flow (its closer runs once) and forgets it.
    public func end() {
        let close = closer.withLockedValue { slot -> (@Sendable () -> Void)? in
            guard !isEnded.exchange(true, ordering: .acquiringAndReleasing) else { return nil }
            defer { slot = nil }
            return slot
        }
        close?()
        finish()
    }

    /// The flow is over: it stops counting towards its device session. Idempotent.
    public func finish() {
        isEnded.store(true, ordering: .releasing)
        onFinish(self)
    }
}
