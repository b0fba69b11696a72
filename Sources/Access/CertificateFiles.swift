public import Foundation
public import NodeState

/// Where a listener wrapped in TLS finds a stored certificate and its key, by id: the one thing
/// an inbound needs of the TLS store, so the listeners do not depend on the store behind it.
public protocol CertificateFiles: Sendable {
    func certificateURL(id: String) throws -> URL
    func keyURL(id: String) throws -> URL
}

extension TLSStore: CertificateFiles {}
