import Archive
package import Foundation
import Hummingbird
import NodeState
import ScaleConfig

/// The admin API's request bodies, decoded the way its routes decode them, for other targets of
/// the package: the parser fuzzer sends one hostile body through every route's body type at once,
/// and through the upload and plain-HTTP parsers.
///
/// Nothing here is reachable over HTTP; it only names the body types, the decoder and the error
/// mapping the routes already use, so what the fuzzer finds is what a client could trigger.
package enum RequestBodyDecoding {
    /// What decoding one body type gave.
    package struct Outcome {
        /// The body type, as Swift names it.
        package var typeName: String
        /// The decoded value, when decoding succeeded.
        package var value: Any?
        /// The 400 answer `decodeJSON` would give, when it failed: message and field.
        package var problem: (message: String, field: String?)?
    }

    /// Decodes `body` as every type a route decodes a JSON body as, in route order.
    package static func decodeEveryBody(_ body: [UInt8]) -> [Outcome] {
        let data = Data(body)
        return [
            decode(AuthController.Credentials.self, data),
            decode(AuthController.PasswordChange.self, data),
            decode(NodeController.NodeUpdate.self, data),
            decode(SettingsController.Update.self, data),
            decode(ToggleBody.self, data),
            decode(User.self, data),
            decode(OutboundPeer.self, data),
            decode(ClientsController.Disable.self, data),
            decode(PeersFlagsController.Nested.self, data),
            decode(PeersFlagsController.Disable.self, data),
            decode(Proxy.self, data),
            decode(ShadowsocksConfig.self, data),
            decode(RoutingRule.self, data),
            decode(RulesController.TunModeUpdate.self, data),
            decode(KeyedBody<WireGuardConfig>.self, data),
            decode(WireGuardPeer.self, data),
            decode(KeyedBody<IKEv2Config>.self, data),
            decode(KeyedBody<L2TPConfig>.self, data),
            decode([String: LayoutPosition].self, data),
            decode(SystemController.PortQuery.self, data),
            decode(TLSController.ImportBody.self, data),
            decode(TLSController.ImportPathBody.self, data),
            decode(TLSController.GenerateBody.self, data),
            decode(TLSController.SignBody.self, data),
        ]
    }

    /// The files of an uploaded backup as `POST /api/restore` sorts them before replacing
    /// anything: the multipart part (when `contentType` says multipart), the archive read with
    /// the route's limits, and the restore plan's checks.
    /// - Returns: the config bytes, the node id, whether a state database came along, and the
    ///   names of the TLS store files.
    /// - Throws: what the route turns into its 400 answer.
    package static func restorePlan(
        _ body: [UInt8], contentType: String?
    ) throws -> (config: Data, nodeID: String?, hasState: Bool, tlsFiles: [String]) {
        let bytes = try Upload(contentType: contentType, passwordHeader: nil, body: body).file
        guard !bytes.isEmpty else { throw APIError.badRequest("the body is empty") }
        let files = try BackupArchive.read(
            bytes, maxFileSize: BackupController.maximumFileSize, maxTotalSize: BackupController.maximumTotalSize)
        let plan = try BackupController.RestorePlan(files: files)
        return (plan.config, plan.nodeID, plan.state != nil, plan.tlsFiles.keys.sorted())
    }

    /// The parts of a `multipart/form-data` body as the upload routes split it.
    /// - Throws: what the routes turn into their 400 answer.
    package static func multipartParts(_ body: [UInt8], contentType: String) throws
        -> [(name: String?, filename: String?, contents: ArraySlice<UInt8>)] {
        try MultipartForm(body: body, contentType: contentType).parts.map { ($0.name, $0.filename, $0.contents) }
    }

    /// Where a plain HTTP request with this head is sent while `force_https` holds, or `nil` when
    /// it gets a 400 instead.
    package static func plainHTTPRedirect(head: String) -> String? {
        PlainHTTPAnswer.redirectLocation(head: Substring(head))
    }

    /// Decodes as Hummingbird's `JSONDecoder` request decoder does (the one ``AdminRequestContext``
    /// keeps: the annotation fails to compile if that ever changes), then maps a failure as
    /// `Request.decodeJSON` does.
    private static func decode<T: Decodable>(_ type: T.Type, _ data: Data) -> Outcome {
        let decoder: AdminRequestContext.Decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let name = String(reflecting: type)
        do {
            return Outcome(typeName: name, value: try decoder.decode(type, from: data), problem: nil)
        } catch let error as DecodingError {
            return Outcome(typeName: name, value: nil,
                           problem: ("the body is not valid JSON for this call: \(error.summary)", error.field))
        } catch {
            return Outcome(typeName: name, value: nil, problem: ("the body is not valid JSON for this call", nil))
        }
    }
}
