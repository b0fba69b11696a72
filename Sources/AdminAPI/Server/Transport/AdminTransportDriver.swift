import Foundation
public import NodeState
import NIOSSL
public import Reconciler
public import ScaleConfig

/// Converges the admin server's TLS: loads the certificate the config names (`https_cert_id`,
/// else the store's default) into a TLS context for new connections, and sets whether plain HTTP
/// is refused (`force_https`). A certificate that cannot be loaded is a failed change that the
/// next reconcile retries; meanwhile the previous certificate (if any) keeps serving and
/// `force_https` still holds.
public struct AdminTransportDriver: Driver {
    public let kind = "admin"
    private let transport: AdminTransport
    private let tlsStore: TLSStore?

    /// - Parameters:
    ///   - transport: what the admin server's new connections read.
    ///   - tlsStore: where certificates come from; `nil` offers no TLS.
    public init(transport: AdminTransport, tlsStore: TLSStore?) {
        self.transport = transport
        self.tlsStore = tlsStore
    }

    public func desired(for config: Config) -> [AdminTransportSpec] {
        let id = config.httpsCertificateID.isEmpty ? TLSStore.defaultID : config.httpsCertificateID
        guard let tlsStore, let certificate = try? tlsStore.certificateURL(id: id).path,
              let key = try? tlsStore.keyURL(id: id).path else { return [] }
        let digest = FileDigest.of([certificate, key])
        // Without force_https, TLS is offered only when the certificate is there; with it, a
        // missing certificate is a failure to report, not a reason to serve plain HTTP.
        guard digest != nil || config.forcesHTTPS else { return [] }
        return [AdminTransportSpec(certificateID: id, certificateDigest: digest ?? "unreadable", isForced: config.forcesHTTPS,
                                   certificatePath: certificate, keyPath: key)]
    }

    /// Converges once for `config` before the admin server accepts anything, so a node started
    /// with `force_https` never answers plain HTTP while its first reconcile is under way.
    public func prime(with config: Config) async {
        _ = await apply(diff(desired: desired(for: config), observed: transport.spec.map { [$0] } ?? []))
    }

    public func observe() async throws -> [AdminTransportSpec] { transport.spec.map { [$0] } ?? [] }

    public func apply(_ plan: Plan<AdminTransportSpec>) async -> [Outcome<AdminTransportSpec>] {
        plan.changes.map { change in
            switch change {
            case .create(let spec), .update(_, let spec):
                do {
                    transport.publish(spec, tls: try Self.context(for: spec))
                    return .applied(change)
                } catch {
                    transport.keepCertificate(forcing: spec.isForced)
                    return .failed(change, reason: "certificate \(spec.certificateID) unusable: \(error)")
                }
            case .delete:
                transport.reset()
                return .applied(change)
            }
        }
    }

    /// TLS 1.2 or 1.3 with the spec's certificate chain and key.
    static func context(for spec: AdminTransportSpec) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(spec.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: spec.keyPath, format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        return try NIOSSLContext(configuration: configuration)
    }
}
