import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A file sent to an upload call (`/api/upgrade`, `/api/restore`): the body itself, or the file
/// part of a `multipart/form-data` form; with the current admin password these calls ask for.
struct Upload {
    /// Where the error for a missing or wrong password points.
    static let passwordField = "X-Current-Password header or current_password form field"

    /// The file's bytes.
    var file: [UInt8]
    /// The client-side SHA-256 of the current password: the form field `current_password`,
    /// else the `X-Current-Password` header.
    var currentPassword: String?

    /// - Throws: ``APIError`` 400 for a malformed form.
    init(request: Request, body: ByteBuffer) throws {
        try self.init(contentType: request.headers[.contentType], passwordHeader: request.headers[Reauthentication.header],
                      body: Array(buffer: body))
    }

    /// The upload of a body with that `Content-Type` and `X-Current-Password` header.
    /// - Throws: ``APIError`` 400 for a malformed form.
    init(contentType: String?, passwordHeader: String?, body: [UInt8]) throws {
        currentPassword = passwordHeader
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            file = body
            return
        }
        let form = try MultipartForm(body: body, contentType: contentType)
        file = form.file.map(Array.init) ?? []
        currentPassword = form.field("current_password") ?? currentPassword
    }

    /// Reads the upload of `request` (at most the route's upload size), logs the attempt with the
    /// caller's address, and checks the current password it carries.
    /// - Parameter action: what the call does, for the log (`upgrade`, `restore`).
    /// - Returns: the file's bytes, once the password is right.
    /// - Throws: ``APIError`` 413 when too large, 400 for a malformed form or a missing password,
    ///   403 for a wrong one, 429 while rate limited.
    static func receive(_ request: Request, context: AdminRequestContext, action: String,
                        reauthentication: Reauthentication) async throws -> [UInt8] {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, "the upload is larger than \(context.maxUploadSize) bytes")
        }
        let upload = try Upload(request: request, body: body)
        reauthentication.deps.logger.notice("upload received", metadata: [
            "upload.action": "\(action)", "client.address": "\(context.clientAddress)",
        ])
        try await reauthentication.check(upload.currentPassword, context: context, field: passwordField)
        return upload.file
    }
}
