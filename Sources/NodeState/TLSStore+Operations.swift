#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation
import SwiftASN1
import X509

/// The certificate store operations behind `/api/tls` (spec/reference-api.md §5.19).
///
/// Every method validates ids before it touches a file (reference §9 item 21: the reference uses
/// ids verbatim as file names), throws only ``TLSStoreError``, and is synchronous file I/O: call it
/// off the event loop (STYLE §4). Writers are not serialised across processes; the admin API is
/// the store's only writer.
extension TLSStore {
    /// Validity of `generate` when `days` is absent or not positive (reference §5.19).
    public static let defaultGeneratedValidityDays = 365
    /// Validity of `sign` when `days` is absent or not positive (reference §5.19).
    public static let defaultSignedValidityDays = 7300
    /// The longest validity accepted, 100 years.
    public static let maximumValidityDays = 36_500
    /// The longest display name accepted, in UTF-8 bytes.
    public static let maximumNameLength = 256
    /// The longest common name accepted (RFC 5280 appendix A, `ub-common-name`).
    public static let maximumCommonNameLength = 64
    /// The largest certificate or key file read, from the store or by ``importFromPath(id:name:certificatePath:keyPath:allowedDirectories:replace:)``.
    public static let fileSizeLimit = 1 << 20

    // MARK: Reading

    /// Whether a certificate with `id` is in the store (`<id>.crt` exists).
    /// - Throws: ``TLSStoreError/invalidID(_:field:)`` for an id that cannot be a file name.
    public func exists(id: String) throws(TLSStoreError) -> Bool {
        FileManager.default.fileExists(atPath: try files(id).certificate.path)
    }

    /// The parsable certificates of the store, sorted by id.
    ///
    /// A `<id>.crt` that cannot be read or parsed is left out, as in the reference; use
    /// ``scanCertificates()`` to learn which and why.
    /// - Throws: ``TLSStoreError/storage(_:)`` if the folder cannot be listed.
    public func listCertificates() throws(TLSStoreError) -> [CertificateInfo] {
        try scanCertificates().certificates
    }

    /// Reads every certificate of the store: the parsable ones and the skipped ones, each sorted by id.
    ///
    /// Never fails because of one file's content; a file removed while scanning is simply absent.
    /// - Throws: ``TLSStoreError/storage(_:)`` if the folder cannot be listed.
    public func scanCertificates() throws(TLSStoreError) -> CertificateListing {
        let ids: Set<String>
        do {
            ids = try certificateIDs()
        } catch {
            // FileManager wraps the POSIX error; keep its errno when it is there.
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            let code = underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? Int32($0.code) : nil }
            throw .storage(FileSystemError(function: "opendir", path: directory.path, errno: code ?? EIO))
        }
        var listing = CertificateListing(certificates: [], skipped: [])
        for id in ids.sorted() {
            do {
                listing.certificates.append(try certificateInfo(id: id))
            } catch .notFound {
                continue  // removed since the folder was listed
            } catch {
                listing.skipped.append(SkippedCertificate(id: id, error: error))
            }
        }
        return listing
    }

    /// The description of one certificate.
    /// - Throws: ``TLSStoreError/notFound(id:field:)``, ``TLSStoreError/invalidCertificate(field:reason:)``
    ///   if `<id>.crt` does not parse, ``TLSStoreError/storage(_:)``.
    public func certificateInfo(id: String) throws(TLSStoreError) -> CertificateInfo {
        let files = try files(id)
        guard let text = try read(files.certificate) else { throw .notFound(id: id) }
        let chain = try Self.parseCertificateChain(text, field: "\(id).crt")
        let storedName = try read(files.name, limit: Self.maximumNameLength * 4) ?? ""
        let caText = (try read(files.ca, limit: 256) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return CertificateInfo(
            id: id,
            name: storedName.isEmpty ? id : storedName,
            certificate: chain.leaf,
            der: chain.derEncodings[0],
            hasKey: FileManager.default.fileExists(atPath: files.key.path),
            caID: Self.isValid(id: caText) ? caText : nil,
            certificateFile: files.certificate,
            keyFile: files.key
        )
    }

    /// The certificate (chain) PEM of `id`, as `GET /api/tls/{id}/pem` answers it (DECISIONS #21).
    ///
    /// Never returns the private key; unlike the reference, an unknown id is an error.
    /// - Throws: ``TLSStoreError/notFound(id:field:)``, ``TLSStoreError/invalidID(_:field:)``,
    ///   ``TLSStoreError/storage(_:)``.
    public func pem(id: String) throws(TLSStoreError) -> String {
        guard let text = try read(try files(id).certificate) else { throw .notFound(id: id) }
        return text
    }

    // MARK: Writing

    /// Stores a certificate (chain) and optionally its private key, as `POST /api/tls/import` does.
    ///
    /// The first PEM block is the server certificate; every block must be a certificate and the
    /// whole chain is kept in `<id>.crt` (re-encoded, so stray text never reaches it). A key must
    /// be one unencrypted PKCS#8, SEC1 or PKCS#1 block (an `EC PARAMETERS` block beside it is
    /// ignored) whose public key is the certificate's. Replacing an id removes its old key and
    /// `.ca` unless new ones are given.
    /// - Parameters:
    ///   - name: display name; `nil` or empty means the id (reference §5.19).
    ///   - replace: overwrite an existing id instead of refusing it.
    /// - Returns: the stored certificate's description.
    /// - Throws: ``TLSStoreError/invalidID(_:field:)``, ``TLSStoreError/invalidField(field:reason:)``
    ///   (name), ``TLSStoreError/invalidCertificate(field:reason:)`` (`cert`),
    ///   ``TLSStoreError/invalidKey(field:reason:)`` (`key`), ``TLSStoreError/keyMismatch``,
    ///   ``TLSStoreError/alreadyExists(id:)``, ``TLSStoreError/storage(_:)``.
    @discardableResult
    public func importPEM(
        id: String, name: String? = nil, certificatePEM: String, keyPEM: String? = nil, replace: Bool = false
    ) throws(TLSStoreError) -> CertificateInfo {
        let files = try files(id)
        let name = try Self.displayName(name, default: id)
        let chain = try Self.parseCertificateChain(certificatePEM, field: "cert")
        var keyBlock: String?
        if let keyPEM, !keyPEM.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let parsed = try Self.parsePrivateKey(keyPEM, field: "key")
            try Self.checkKey(parsed.key, matches: chain.leaf)
            keyBlock = parsed.pem
        }
        try write(files, name: name, certificatePEM: chain.pem, keyPEM: keyBlock, caID: nil, replace: replace)
        return CertificateInfo(
            id: id, name: name, certificate: chain.leaf, der: chain.derEncodings[0], hasKey: keyBlock != nil,
            caID: nil, certificateFile: files.certificate, keyFile: files.key
        )
    }

    /// Makes a self-signed ECDSA P-256 certificate, as `POST /api/tls/generate` does.
    ///
    /// CN = the first domain. A CA's domains only name it: the first may be any common name
    /// (`Mesh Root`) and none becomes a SAN. A leaf has one SAN per domain (IP literals as iPAddress SANs, where
    /// the reference writes DNS SANs), digitalSignature and serverAuth; a CA (`isCA`) has
    /// basicConstraints `CA:TRUE`, keyCertSign and cRLSign, and no SANs. The key is stored as SEC1
    /// `EC PRIVATE KEY` (0600).
    /// - Parameters:
    ///   - domains: at least one DNS name or IP literal.
    ///   - days: validity from `now`; `nil` or ≤ 0 means ``defaultGeneratedValidityDays``
    ///     (v1.3 compat), at most ``maximumValidityDays``.
    /// - Throws: ``TLSStoreError/invalidID(_:field:)``, ``TLSStoreError/invalidField(field:reason:)``
    ///   (`domains[i]`, `days`, `name`), ``TLSStoreError/alreadyExists(id:)``,
    ///   ``TLSStoreError/storage(_:)``, ``TLSStoreError/certificateEncoding(reason:)``.
    @discardableResult
    public func generate(
        id: String, name: String? = nil, domains: [String], days: Int? = nil, isCA: Bool = false,
        replace: Bool = false, now: Date = Date()
    ) throws(TLSStoreError) -> CertificateInfo {
        let files = try files(id)
        let name = try Self.displayName(name, default: id)
        // A CA's "domains" only name it (CN); a leaf's become its SANs.
        guard let first = domains.first else {
            throw .invalidField(field: "domains", reason: "give at least one DNS name or IP address")
        }
        let commonName = try Self.commonName(first, field: "domains[0]")
        let parsed = isCA ? [] : try Self.parseDomains(domains, field: "domains")
        let days = try Self.validityDays(days, default: Self.defaultGeneratedValidityDays)
        try checkAvailable(files, replace: replace)
        let issued = try CertificateAuthority.selfSigned(
            domains: parsed, commonName: commonName, isCA: isCA, notValidBefore: now, days: days
        )
        return try store(issued, files: files, name: name, caID: nil, replace: replace)
    }

    /// Issues a server certificate signed by the store CA `caID`, as `POST /api/tls/sign` does.
    ///
    /// The CA must exist, have basicConstraints `CA:TRUE` (and keyCertSign when it has a key
    /// usage), and have its key in the store. The new certificate has a new P-256 key (the
    /// reference uses RSA-2048), subject = the CA's subject with CN = `commonName`, SANs =
    /// `domains` (or `commonName` alone when empty), serverAuth, and the CA's key identifier as
    /// authority key identifier. `<id>.ca` records `caID`.
    /// - Parameters:
    ///   - name: display name; `nil` or empty means `commonName` (reference §5.19).
    ///   - days: validity from `now`; `nil` or ≤ 0 means ``defaultSignedValidityDays``
    ///     (v1.3 compat), at most ``maximumValidityDays``. Not clamped to the CA's validity.
    /// - Throws: ``TLSStoreError/invalidID(_:field:)``, ``TLSStoreError/invalidField(field:reason:)``
    ///   (`cn`, `domains[i]`, `days`, `name`, `id` equal to `ca_id`), ``TLSStoreError/notFound(id:field:)``
    ///   (`ca_id`), ``TLSStoreError/notACertificateAuthority(id:)``, ``TLSStoreError/missingPrivateKey(id:)``,
    ///   ``TLSStoreError/invalidCertificate(field:reason:)`` or ``TLSStoreError/invalidKey(field:reason:)``
    ///   for a corrupt CA, ``TLSStoreError/keyMismatch``, ``TLSStoreError/alreadyExists(id:)``,
    ///   ``TLSStoreError/storage(_:)``, ``TLSStoreError/certificateEncoding(reason:)``.
    @discardableResult
    public func sign(
        caID: String, id: String, name: String? = nil, commonName: String, domains: [String] = [],
        days: Int? = nil, replace: Bool = false, now: Date = Date()
    ) throws(TLSStoreError) -> CertificateInfo {
        guard Self.isValid(id: caID) else { throw .invalidID(caID, field: "ca_id") }
        let files = try files(id)
        guard id != caID else { throw .invalidField(field: "id", reason: "must differ from ca_id; a CA cannot be replaced by a certificate it signs") }
        let commonName = try Self.commonName(commonName, field: "cn")
        let name = try Self.displayName(name, default: commonName)
        let parsed = domains.isEmpty
            ? try Self.parseDomains([commonName], field: "cn")
            : try Self.parseDomains(domains, field: "domains")
        let days = try Self.validityDays(days, default: Self.defaultSignedValidityDays)
        let authority = try loadAuthority(id: caID)
        try checkAvailable(files, replace: replace)
        let issued = try authority.issue(domains: parsed, commonName: commonName, notValidBefore: now, days: days)
        return try store(issued, files: files, name: name, caID: caID, replace: replace)
    }

    /// Removes `<id>.crt`, `.key`, `.name` and `.ca`, the certificate first, so a crash leaves no
    /// listed certificate without its key.
    ///
    /// Allowed for every id, `default` included (the reference allows it too): the server's
    /// `tls_cert` path is not checked here, and `TLSStore/ensureDefaultCertificate(nodeID:now:)`
    /// makes a new default only on first start. Removing an absent id is not an error.
    /// - Returns: whether any file existed.
    /// - Throws: ``TLSStoreError/invalidID(_:field:)``, ``TLSStoreError/storage(_:)``.
    @discardableResult
    public func delete(id: String) throws(TLSStoreError) -> Bool {
        let files = try files(id)
        do {
            var removed = false
            for url in [files.certificate, files.key, files.name, files.ca] {
                if try FileIO.remove(url) { removed = true }
            }
            if removed { try FileIO.syncDirectory(of: files.certificate) }
            return removed
        } catch {
            throw .storage(error)
        }
    }

    // MARK: Internals

    /// The four files of one id.
    struct Files {
        let certificate: URL
        let key: URL
        let name: URL
        let ca: URL
    }

    func files(_ id: String) throws(TLSStoreError) -> Files {
        guard Self.isValid(id: id) else { throw .invalidID(id) }
        func url(_ suffix: String) -> URL { directory.appendingPathComponent("\(id).\(suffix)", isDirectory: false) }
        return Files(certificate: url("crt"), key: url("key"), name: url("name"), ca: url("ca"))
    }

    /// The text of a store file, or `nil` if it does not exist.
    func read(_ url: URL, limit: Int = TLSStore.fileSizeLimit) throws(TLSStoreError) -> String? {
        do {
            return try FileIO.contents(of: url, limit: limit).map { String(decoding: $0, as: UTF8.self) }
        } catch {
            throw .storage(error)
        }
    }

    private func checkAvailable(_ files: Files, replace: Bool) throws(TLSStoreError) {
        guard replace || !FileManager.default.fileExists(atPath: files.certificate.path) else {
            throw .alreadyExists(id: files.certificate.deletingPathExtension().lastPathComponent)
        }
    }

    private func store(_ issued: IssuedCertificate, files: Files, name: String, caID: String?, replace: Bool) throws(TLSStoreError) -> CertificateInfo {
        try write(files, name: name, certificatePEM: issued.certificatePEM, keyPEM: issued.privateKeyPEM, caID: caID, replace: replace)
        let der: [UInt8]
        do {
            der = try issued.certificate.serializeAsPEM().derBytes
        } catch {
            throw .certificateEncoding(reason: "\(error)")
        }
        let id = files.certificate.deletingPathExtension().lastPathComponent
        return CertificateInfo(
            id: id, name: name, certificate: issued.certificate, der: der, hasKey: true, caID: caID,
            certificateFile: files.certificate, keyFile: files.key
        )
    }

    /// Writes one id's files. An existing certificate is removed first, then the key (or its
    /// removal), name and `.ca`, and the certificate last: a present `.crt` always has the key it
    /// was stored with, even after a crash half-way.
    private func write(
        _ files: Files, name: String, certificatePEM: String, keyPEM: String?, caID: String?, replace: Bool
    ) throws(TLSStoreError) {
        try checkAvailable(files, replace: replace)
        do {
            _ = try FileIO.remove(files.certificate)
            if let keyPEM {
                try FileIO.replace(files.key, with: Data(keyPEM.utf8), mode: 0o600)
            } else {
                _ = try FileIO.remove(files.key)
            }
            try FileIO.replace(files.name, with: Data(name.utf8), mode: 0o644)
            if let caID {
                try FileIO.replace(files.ca, with: Data(caID.utf8), mode: 0o644)
            } else {
                _ = try FileIO.remove(files.ca)
            }
            try FileIO.replace(files.certificate, with: Data(certificatePEM.utf8), mode: 0o644)
        } catch {
            throw .storage(error)
        }
    }

    /// The CA `id` with its key, checked to be able to sign.
    private func loadAuthority(id: String) throws(TLSStoreError) -> CertificateAuthority {
        let files = try files(id)
        guard let text = try read(files.certificate) else { throw .notFound(id: id, field: "ca_id") }
        let certificate = try Self.parseCertificateChain(text, field: "ca_id").leaf
        guard case .isCertificateAuthority = (try? certificate.extensions.basicConstraints) ?? .notCertificateAuthority else {
            throw .notACertificateAuthority(id: id)
        }
        if let usage = (try? certificate.extensions.keyUsage) ?? nil, !usage.keyCertSign {
            throw .notACertificateAuthority(id: id)
        }
        guard let keyText = try read(files.key) else { throw .missingPrivateKey(id: id) }
        let key = try Self.parsePrivateKey(keyText, field: "ca_id").key
        try Self.checkKey(key, matches: certificate)
        return CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// `name`, or `fallback` when `nil` or empty.
    static func displayName(_ name: String?, default fallback: String) throws(TLSStoreError) -> String {
        guard let name, !name.isEmpty else { return fallback }
        guard name.utf8.count <= maximumNameLength,
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw .invalidField(field: "name", reason: "give a display name of at most \(maximumNameLength) bytes without control characters")
        }
        return name
    }

    /// `text` trimmed, checked to fit a certificate's common name.
    static func commonName(_ text: String, field: String) throws(TLSStoreError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= maximumCommonNameLength,
              !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw .invalidField(field: field, reason: "give a common name of 1-\(maximumCommonNameLength) bytes without control characters")
        }
        return trimmed
    }

    static func parseDomains(_ domains: [String], field: String) throws(TLSStoreError) -> [CertificateDomain] {
        guard !domains.isEmpty else {
            throw .invalidField(field: field, reason: "give at least one DNS name or IP address")
        }
        var parsed: [CertificateDomain] = []
        for (index, domain) in domains.enumerated() {
            parsed.append(try CertificateDomain(parsing: domain, field: field == "cn" ? field : "\(field)[\(index)]"))
        }
        return parsed
    }

    static func validityDays(_ days: Int?, default fallback: Int) throws(TLSStoreError) -> Int {
        guard let days, days > 0 else { return fallback }  // v1.3 compat: days ≤ 0 means the default
        guard days <= maximumValidityDays else {
            throw .invalidField(field: "days", reason: "\(days) is more than \(maximumValidityDays); give 1-\(maximumValidityDays) days")
        }
        return days
    }
}
