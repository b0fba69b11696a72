import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
public import NodeState
import ScaleConfig

/// The TLS certificate store of the state directory (reference §5.19; DECISIONS #21).
///
/// The store is runtime state, not declared config, so writes do not change the config file;
/// each answer still carries a reconcile outcome, since listeners may use the certificate.
struct TLSController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("tls", use: list)
        group.post("tls/import", use: importPEM)
        group.post("tls/import-path", use: importPath)
        group.post("tls/generate", use: generate)
        group.post("tls/sign", use: sign)
        group.get("tls/{id}/pem", use: pem)
        group.delete("tls/{id}", use: delete)
    }

    /// Directories `import-path` may read from: the config's own folder and the usual homes of
    /// certificates on Debian (reference §9 item 21: v1.3 read any file).
    func importableDirectories() async -> [URL] {
        let configDirectory = URL(fileURLWithPath: await deps.configStore.path).deletingLastPathComponent()
        return [configDirectory, URL(fileURLWithPath: "/etc/ssl"), URL(fileURLWithPath: "/etc/letsencrypt")]
    }

    struct Written: Encodable, Sendable {
        var id: String
        var certificate: CertificateInfo
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> [CertificateInfo] {
        try store { try deps.tlsStore.listCertificates() }
    }

    struct ImportBody: Decodable {
        var id: String
        var name: String?
        var cert: String
        var key: String?
        var replace: Bool?
    }

    @Sendable func importPEM(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<Written> {
        let body = try await request.decodeJSON(as: ImportBody.self, context: context)
        let info = try store {
            try deps.tlsStore.importPEM(id: body.id, name: body.name, certificatePEM: body.cert,
                                        keyPEM: body.key?.isEmpty == false ? body.key : nil, replace: body.replace ?? false)
        }
        return try await written(info)
    }

    struct ImportPathBody: Decodable {
        var id: String
        var name: String?
        var cert_path: String
        var key_path: String?
        var replace: Bool?
    }

    @Sendable func importPath(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<Written> {
        let body = try await request.decodeJSON(as: ImportPathBody.self, context: context)
        let allowed = await importableDirectories()
        let info = try store {
            try deps.tlsStore.importFromPath(id: body.id, name: body.name, certificatePath: body.cert_path,
                                             keyPath: body.key_path?.isEmpty == false ? body.key_path : nil,
                                             allowedDirectories: allowed, replace: body.replace ?? false)
        }
        return try await written(info)
    }

    struct GenerateBody: Decodable {
        var id: String
        var name: String?
        var domains: [String]
        var days: Int?
        var is_ca: Bool?
        var replace: Bool?
    }

    @Sendable func generate(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<Written> {
        let body = try await request.decodeJSON(as: GenerateBody.self, context: context)
        let info = try store {
            try deps.tlsStore.generate(id: body.id, name: body.name, domains: body.domains, days: body.days,
                                       isCA: body.is_ca ?? false, replace: body.replace ?? false)
        }
        return try await written(info)
    }

    struct SignBody: Decodable {
        var ca_id: String
        var id: String
        var name: String?
        var cn: String
        var domains: [String]?
        var days: Int?
        var replace: Bool?
    }

    @Sendable func sign(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<Written> {
        let body = try await request.decodeJSON(as: SignBody.self, context: context)
        let info = try store {
            try deps.tlsStore.sign(caID: body.ca_id, id: body.id, name: body.name, commonName: body.cn,
                                   domains: body.domains ?? [], days: body.days, replace: body.replace ?? false)
        }
        return try await written(info)
    }

    /// The certificate chain as PEM; never the key.
    @Sendable func pem(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let text = try store { try deps.tlsStore.pem(id: id) }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Refused while the config uses the certificate: deleting it would break a listener. The
    /// default certificate is refused too: it is what the admin server and the Hysteria 2 server
    /// present when nothing else is named, and every start makes it again anyway.
    @Sendable func delete(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.require("id")
        guard id != TLSStore.defaultID else {
            throw APIError.conflict("the default certificate cannot be deleted; replace it instead (import or generate with \"replace\": true)",
                                    field: "id")
        }
        let config = try await deps.configStore.snapshot().config
        if let user = Self.uses(of: id, in: config, certificateFile: try? deps.tlsStore.certificateURL(id: id).path).first {
            throw APIError.conflict("certificate \"\(id)\" is used by \(user); change that first", field: user)
        }
        guard try store({ try deps.tlsStore.delete(id: id) }) else {
            throw APIError.notFound("no certificate has id \"\(id)\"")
        }
        return try await deps.configStore.reconcileNow()
    }

    /// Config paths that refer to certificate `id`.
    static func uses(of id: String, in config: Config, certificateFile: String?) -> [String] {
        var found: [String] = []
        for (i, proxy) in config.proxies.enumerated() where proxy.tlsCertificateID == id { found.append("proxies[\(i)].tls_cert") }
        if config.ikev2?.certificateID == id { found.append("ikev2.cert_id") }
        if config.httpsCertificateID == id { found.append("https_cert_id") }
        if let certificateFile, config.server?.tlsCertificatePath == certificateFile { found.append("server.tls_cert") }
        return found
    }

    private func written(_ info: CertificateInfo) async throws -> MutationAnswer<Written> {
        MutationAnswer(result: try await deps.configStore.reconcileNow(), extra: Written(id: info.id, certificate: info))
    }

    /// Runs a store operation, mapping its errors to statuses.
    private func store<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TLSStoreError {
            let status: HTTPResponse.Status
            switch error {
            case .notFound: status = .notFound
            case .alreadyExists: status = .conflict
            case .storage, .certificateEncoding: status = .internalServerError
            case .invalidID, .invalidField, .invalidCertificate, .invalidKey, .keyMismatch, .notACertificateAuthority,
                 .missingPrivateKey, .pathNotAllowed, .fileTooLarge, .unreadableFile:
                status = .badRequest
            }
            throw APIError(status, error.description, field: error.field)
        } catch {
            throw APIError(.internalServerError, "TLS store: \(error)")
        }
    }
}

extension CertificateInfo: ResponseEncodable {}
