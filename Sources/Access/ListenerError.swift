/// Why a listener (a proxy, Shadowsocks, the Hysteria 2 server or a capture listener) could not
/// start.
package enum ListenerError: Error, CustomStringConvertible {
    case noTLSStore
    case tls(id: String, reason: String)
    case badAddress(String)
    case bind(String, reason: String)
    case notShadowsocks
    case methodNone
    case certificateFiles(String, String, reason: String)

    package var description: String {
        switch self {
        case .noTLSStore: "no TLS store on this node"
        case .tls(let id, let reason): "TLS certificate \"\(id)\" unusable: \(reason)"
        case .badAddress(let listen): "\"\(listen)\" is not a host:port to listen on"
        case .bind(let listen, let reason): "cannot listen on \(listen): \(reason)"
        case .notShadowsocks: "not a Shadowsocks listener"
        case .certificateFiles(let certificate, let key, let reason): "certificate \(certificate) with key \(key) unusable: \(reason)"
        case .methodNone: "method none is not served: it cannot tell users apart and encrypts nothing; use aes-256-gcm or a 2022 method"
        }
    }
}
