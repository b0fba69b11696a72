import Foundation
import Logging
import NodeState
import ScaleConfig
import YAMLDocument

/// Makes a node ready to run: a config file with its secrets, a node id, a default certificate.
///
/// Generated secrets are written into the file at once (DECISIONS #3), through the in-place
/// editor, so the file keeps its comments and a restart keeps the same secrets.
struct FirstStart {
    let configPath: String
    let state: StateDirectory
    let logger: Logger

    func prepare() throws {
        if try state.openTLSStore().ensureDefaultCertificate(nodeID: state.nodeID) {
            logger.info("default TLS certificate created", metadata: ["tls.id": "\(TLSStore.defaultID)"])
        }
        let url = URL(fileURLWithPath: configPath)
        let existing = FileManager.default.contents(atPath: configPath)
        let text = existing.map { String(decoding: $0, as: UTF8.self) } ?? DefaultConfig.text
        guard var editor = try? YAMLEditor(text) else {
            return  // unparseable: left alone; the reconciler refuses it with every problem listed
        }
        var generated: [String] = []
        let root = editor.document.value
        if case .mapping? = root["server"], Self.isEmpty(root["server"]?["password"]) {
            try editor.set(["server", "password"], to: .string(SecretGenerator.nodePassword()))
            generated.append("server.password")
        }
        if case .mapping? = root["wireguard"], Self.isEmpty(root["wireguard"]?["private_key"]) {
            try editor.set(["wireguard", "private_key"], to: .string(SecretGenerator.wireGuardPrivateKey()))
            generated.append("wireguard.private_key")
        }
        guard existing == nil || !generated.isEmpty else { return }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let data = Data(editor.text.utf8)
        if existing == nil {
            guard try FileIO.createExclusively(url, with: data, mode: 0o600) else { return try prepare() }
            logger.notice("wrote a default configuration", metadata: ["config.path": "\(configPath)"])
        } else {
            try FileIO.replace(url, with: data, mode: Self.mode(of: configPath))
        }
        logger.notice("generated secrets written to the configuration",
                      metadata: ["config.fields": "\(generated.joined(separator: ", "))"])
    }

    private static func isEmpty(_ value: YAMLValue?) -> Bool {
        value == nil || value == .null || value == .string("")
    }

    /// The file's permission bits, kept across a rewrite.
    private static func mode(of path: String) -> mode_t {
        let permissions = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber
        return mode_t(permissions?.uint16Value ?? 0o600)  // unreadable attributes: the safe default
    }
}
