package import Foundation
package import NodeState
public import Reconciler

/// The Hysteria 2 server the config asks for (`server`), as a reconciled resource.
public struct HysteriaServerSpec: Resource {
    public var key: String { "hy2" }
    /// `host:port`: the first port of the `listen` spec (port hopping binds only the first).
    public var listen: String
    /// The node ("system") password peers log in with. Secret.
    public var password: String
    /// Certificate and key files; both empty for a generated certificate.
    public var certificatePath: String
    public var keyPath: String
    /// A digest of the two files' contents, so a certificate renewed in place is a change too.
    public var certificateDigest: String
    /// The Salamander key; `nil` for plain QUIC. Secret.
    public var obfuscationPassword: String?

    public init(listen: String, password: String, certificatePath: String = "", keyPath: String = "",
                certificateDigest: String = "", obfuscationPassword: String? = nil) {
        self.listen = listen
        self.password = password
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.certificateDigest = certificateDigest
        self.obfuscationPassword = obfuscationPassword
    }

    /// This spec with the certificate it presents: its own files, else `defaultCertificate`
    /// (the TLS store's default), else none (one made in memory); with the files' digest.
    public func presenting(_ defaultCertificate: (certificate: String, key: String)?) -> HysteriaServerSpec {
        var spec = self
        if certificatePath.isEmpty || keyPath.isEmpty {
            spec.certificatePath = defaultCertificate?.certificate ?? ""
            spec.keyPath = defaultCertificate?.key ?? ""
        }
        spec.certificateDigest = spec.certificatePath.isEmpty ? "" : FileDigest.of([spec.certificatePath, spec.keyPath]) ?? "unreadable"
        return spec
    }

    /// Whether a change from `old` needs a new socket (else the settings swap in place).
    package func needsRebind(from old: HysteriaServerSpec) -> Bool {
        listen != old.listen || obfuscationPassword != old.obfuscationPassword
    }

    public var description: String {
        var text = "hy2 server on \(listen) (password <redacted>, "
        text += certificatePath.isEmpty ? "generated certificate" : "certificate \(certificatePath) \(certificateDigest)"
        if obfuscationPassword != nil { text += ", salamander" }
        return text + ")"
    }
}
