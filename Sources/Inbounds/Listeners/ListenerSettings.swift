import Access
import Shadowsocks
import Foundation
import NIOSSL
import Routing

/// What a running listener hands each new connection; swapped in place by an update.
struct ListenerSettings: Sendable {
    var context: ListenerContext
    var spec: ListenerSpec
    /// Present when the listener is wrapped in TLS.
    var tls: NIOSSLContext?
    /// Present for the Shadowsocks listener.
    var shadowsocks: ShadowsocksListenerState?

    init(spec: ListenerSpec, gate: InboundGate, certificates: (any CertificateFiles)?, shadowsocks: ShadowsocksListenerState) throws {
        self.spec = spec
        if spec.inbound == .ss {
            guard spec.method != ShadowsocksCipher.none else { throw ListenerError.methodNone }
            self.shadowsocks = shadowsocks
        }
        context = ListenerContext(key: spec.key, inbound: spec.inbound, authMode: spec.authMode, exit: spec.exit, gate: gate)
        if spec.tlsCertificateID.isEmpty {
            tls = nil
        } else {
            guard let certificates else { throw ListenerError.noTLSStore }
            let certificate = try certificates.certificateURL(id: spec.tlsCertificateID)
            let key = try certificates.keyURL(id: spec.tlsCertificateID)
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
