public import Inbounds
public import NIOCore
public import NodeState
public import Reconciler
public import Access

/// Converges the proxy and Shadowsocks listeners: binds what the config adds, swaps the settings
/// of a listener whose address stays (its connections live on), binds a moved listener at its new
/// address before closing the old one, and closes what the config removes together with its
/// flows. A port that cannot be bound is a failed change, retried on the next reconcile.
public struct ListenerDriver: Driver {
    /// The enabled listeners.
    public typealias Config = [ListenerSpec]
    public let kind = "listeners"
    let listeners: InboundListeners

    /// - Parameters:
    ///   - handshakeTimeout: how long a client may take from connecting to its first byte of
    ///     payload (TLS, authentication and request included).
    public init(gate: InboundGate, tlsStore: TLSStore?, group: any EventLoopGroup,
                handshakeTimeout: TimeAmount = .seconds(10)) {
        listeners = InboundListeners(gate: gate, certificates: tlsStore, group: group, handshakeTimeout: handshakeTimeout)
    }

    public func desired(for specs: [ListenerSpec]) -> [ListenerSpec] { specs }

    public func observe() async throws -> [ListenerSpec] { await listeners.specs() }

    public func apply(_ plan: Plan<ListenerSpec>) async -> [Outcome<ListenerSpec>] {
        await plan.applyEach { change in
            switch change {
            case .create(let spec): try await listeners.start(spec)
            case .update(let old, let new): try await listeners.replace(old, with: new)
            case .delete(let spec): await listeners.stop(spec.key)
            }
        }
    }
}

extension ListenerSpec: Resource {}
