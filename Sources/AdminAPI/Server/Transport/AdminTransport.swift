public import NIOSSL
import Synchronization

/// How the admin server's connections are served right now: whether TLS is on offer (with which
/// certificate) and whether plain HTTP is refused (`force_https`). The driver publishes; every new
/// connection reads it once, so a certificate change applies without a restart and live
/// connections keep the certificate they started with.
public final class AdminTransport: Sendable {
    /// One consistent view for a new connection.
    public struct Settings: Sendable {
        /// The TLS context, when a certificate is in use.
        public var tls: NIOSSLContext?
        /// Plain HTTP gets a redirect to HTTPS (or a refusal when no certificate works) instead of an answer.
        public var isForced: Bool
    }

    private struct State {
        var spec: AdminTransportSpec?
        var settings = Settings(tls: nil, isForced: false)
    }

    private let state = Mutex(State())

    public init() {}

    /// What a new connection gets.
    public var settings: Settings { state.withLock { $0.settings } }

    /// The spec whose certificate is in use, as the driver observes it.
    var spec: AdminTransportSpec? { state.withLock { $0.spec } }

    /// Serves `spec` with `tls` from now on.
    func publish(_ spec: AdminTransportSpec, tls: NIOSSLContext) {
        state.withLock { $0 = State(spec: spec, settings: Settings(tls: tls, isForced: spec.isForced)) }
    }

    /// Keeps the certificate in use (if any) but takes `isForced`: a certificate that cannot be
    /// loaded never turns `force_https` off (fail closed).
    func keepCertificate(forcing isForced: Bool) {
        state.withLock { $0.settings.isForced = isForced }
    }

    /// Plain HTTP only, no TLS.
    func reset() {
        state.withLock { $0 = State() }
    }
}
