import Foundation
import NIOSSL
import NodeState

/// What a running listener hands each new connection; swapped in place by an update.
struct ListenerSettings: Sendable {
    var context: ListenerContext
    var spec: ListenerSpec
    /// Present when the listener is wrapped in TLS.
    var tls: NIOSSLContext?

    init(spec: ListenerSpec, gate: InboundGate, tlsStore: TLSStore?) throws {
        self.spec = spec
        context = ListenerContext(key: spec.key, inbound: spec.inbound, authMode: spec.authMode, exit: spec.exit, gate: gate)
        if spec.tlsCertificateID.isEmpty {
            tls = nil
        } else {
            guard let tlsStore else { throw ListenerError.noTLSStore }
            let certificate = try tlsStore.certificateURL(id: spec.tlsCertificateID)
            let key = try tlsStore.keyURL(id: spec.tlsCertificateID)
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certificate.path).map { NIOSSLCertificateSource.certificate($0) }
                let configuration = TLSConfiguration.makeServerConfiguration(
                    certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key.path, format: .pem)))
                tls = try NIOSSLContext(configuration: configuration)
            } catch {
                throw ListenerError.tls(id: spec.tlsCertificateID, reason: "\(error)")
            }
        }
    }
}

/// Why a listener could not start.
enum ListenerError: Error, CustomStringConvertible {
    case noTLSStore
    case tls(id: String, reason: String)
    case badAddress(String)
    case bind(String, reason: String)

    var description: String {
        switch self {
        case .noTLSStore: "no TLS store on this node"
        case .tls(let id, let reason): "TLS certificate \"\(id)\" unusable: \(reason)"
        case .badAddress(let listen): "\"\(listen)\" is not a host:port to listen on"
        case .bind(let listen, let reason): "cannot listen on \(listen): \(reason)"
        }
    }
}
