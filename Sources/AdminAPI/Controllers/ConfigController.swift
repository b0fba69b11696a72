import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Reconciler
import ScaleConfig
import YAMLDocument

/// The config file itself, for the web UI's editor and for scripts: `GET`/`PUT /api/config` (the
/// text, with its revision as ETag), `POST /api/config/validate` and `POST /api/config/plan` (what
/// a text would change, before it is saved). A text is validated whole before anything is written,
/// exactly as `hy2scale validate` would, and saving it is one write and one reconcile.
struct ConfigController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("config", use: show)
        group.put("config", use: replace)
        group.post("config/validate", use: validate)
        group.post("config/plan", use: plan)
    }

    /// One problem or notice at its place in the text.
    struct Diagnostic: Encodable {
        var line: Int
        var column: Int
        var path: String?
        var message: String
        var severity: String

        init(_ diagnostic: ConfigDiagnostic) {
            line = diagnostic.mark.line
            column = diagnostic.mark.column
            path = diagnostic.path?.description
            message = diagnostic.message
            severity = diagnostic.severity == .notice ? "notice" : "error"
        }
    }

    struct Validation: ResponseEncodable {
        var valid: Bool
        var diagnostics: [Diagnostic]
    }

    struct PlanLine: Encodable {
        var kind: String
        var change: String
    }

    struct PlanAnswer: ResponseEncodable {
        var valid: Bool
        var diagnostics: [Diagnostic]
        /// The revision of the file on disk the plan was made against.
        var revision: String
        /// What saving the text would change, `hy2scale plan`'s lines per kind.
        var plan: [PlanLine]
        /// Kinds whose current state could not be read, with the reason.
        var failures: [PlanLine]
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let (data, revision) = try await deps.configStore.contents()
        return Response(status: .ok, headers: [
            .contentType: "application/yaml; charset=utf-8", .eTag: "\"\(revision)\"", .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Sendable func replace(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let data = try await Self.text(of: request, context: context)
        // Compared with the file on disk, or with the configuration in force when the file is not YAML at all.
        let inForce = await deps.reconciler.configuration
        let result = try await deps.configStore.replaceAll(with: data, expectedRevision: request.expectedRevision,
                                                           refusal: "the configuration is not valid; nothing was saved") { current, new in
            try Self.keepsCredentials(of: current ?? inForce, in: new)
        }
        deps.logger.notice("configuration file replaced through the API", metadata: [
            "config.revision": "\(result.revision)", "client.address": "\(context.clientAddress)",
        ])
        return result
    }

    @Sendable func validate(_ request: Request, context: AdminRequestContext) async throws -> Validation {
        switch deps.configStore.check(try await Self.text(of: request, context: context)) {
        case .success(let file): Validation(valid: true, diagnostics: file.notices.map(Diagnostic.init))
        case .failure(let error): Validation(valid: false, diagnostics: error.diagnostics.map(Diagnostic.init))
        }
    }

    @Sendable func plan(_ request: Request, context: AdminRequestContext) async throws -> PlanAnswer {
        let data = try await Self.text(of: request, context: context)
        let revision = try await deps.configStore.contents().revision
        switch deps.configStore.check(data) {
        case .failure(let error):
            return PlanAnswer(valid: false, diagnostics: error.diagnostics.map(Diagnostic.init), revision: revision,
                              plan: [], failures: [])
        case .success(let file):
            let kinds = await deps.reconciler.plan(towards: file.config)
            return PlanAnswer(
                valid: true, diagnostics: file.notices.map(Diagnostic.init), revision: revision,
                plan: kinds.flatMap { kind in kind.applied.map { PlanLine(kind: kind.kind, change: $0) } },
                failures: kinds.flatMap { kind in kind.failed.map { PlanLine(kind: kind.kind, change: $0) } })
        }
    }

    /// The admin credentials change only where the current password is asked for again (Settings,
    /// `PUT /api/settings/password`, `hy2scale passwd`): a session alone, perhaps a stolen one,
    /// must not take over the node by writing `web_password` into the text.
    static func keepsCredentials(of current: Config?, in candidate: Config) throws {
        guard let current else { return }
        guard current.webPassword == candidate.webPassword,
              current.effectiveWebUsername == candidate.effectiveWebUsername else {
            throw APIError(.forbidden, """
                the admin username and password cannot be changed through the configuration text; change them in \
                Settings (which asks for the current password) or with `hy2scale passwd`; nothing was saved
                """, field: "web_password")
        }
    }

    /// The request body as the config file's bytes: UTF-8 text, at most the route's limit.
    static func text(of request: Request, context: AdminRequestContext) async throws -> Data {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, "the configuration is larger than \(context.maxUploadSize) bytes")
        }
        let bytes = Array(buffer: body)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw APIError.badRequest("the body must be the configuration file's text, in UTF-8")
        }
        return Data(bytes)
    }
}
