import Foundation
import Logging
import NodeState
import ScaleConfig
import YAMLDocument

/// Makes a node ready to run: a config file with its secrets, a node id, a default certificate,
/// and runtime facts of a v1.3 file moved to the state directory.
///
/// An empty `web_password` gets a random initial admin password (DECISIONS #23): its salted hash
/// goes into the file, the password itself into the state directory for the operator, so no
/// node ever listens with a password anyone could guess.
///
/// Generated secrets are written into the file at once (DECISIONS #3), through the in-place
/// editor, so the file keeps its comments and a restart keeps the same secrets. v1.3 runtime
/// fields (`users[].traffic_used`, `graph_layout`) go to the state store and leave the file
/// (DECISIONS #1), so a gitops repository sees no counter churn.
struct FirstStart {
    let configPath: String
    let state: StateDirectory
    let store: StateStore
    let logger: Logger

    func prepare() throws {
        if try state.openTLSStore().ensureDefaultCertificate(nodeID: state.nodeID) {
            logger.info("default TLS certificate created", metadata: ["tls.id": "\(TLSStore.defaultID)"])
        }
        let url = URL(fileURLWithPath: configPath)
        let existing = FileManager.default.contents(atPath: configPath)
        let text = existing.map { String(decoding: $0, as: UTF8.self) } ?? DefaultConfig.text
        guard var editor = try? YAMLEditor(text) else {  // nil: not YAML at all
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
        if case .mapping = root, Self.isEmpty(root["web_password"]) {
            let password = InitialAdminPassword.generate()
            let stored = AdminPassword.hash(AdminPassword.clientDigest(of: password))
            try editor.set(["web_password"], to: .string(stored))
            // Recorded before the file holds it: a crash in between only means a new one next start.
            try state.initialAdminPassword(store: store).record(password: password, storedHash: stored)
            generated.append("web_password")
        }
        generated += try moveRuntimeFields(&editor)
        guard existing == nil || !generated.isEmpty else { return }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let data = Data(editor.text.utf8)
        if existing == nil {
            guard try FileIO.createExclusively(url, with: data, mode: 0o600) else { return try prepare() }
            logger.notice("wrote a default configuration", metadata: ["config.path": "\(configPath)"])
        } else {
            try FileIO.replaceKeepingMode(url, with: data)
        }
        logger.notice("configuration completed",
                      metadata: ["config.fields": "\(generated.joined(separator: ", "))"])
    }

    /// Moves v1.3 runtime fields into the state store, then out of the file. A counter already
    /// in the store wins, so a crash between the two steps never counts traffic twice.
    private func moveRuntimeFields(_ editor: inout YAMLEditor) throws -> [String] {
        let (decoded, _) = YAMLDecoder().decodeCollectingIssues(Config.self, from: editor.document)
        guard let config = decoded else { return [] }
        var moved: [String] = []
        for (index, user) in config.users.enumerated() {
            guard let used = user.legacyTrafficUsed else { continue }
            if !user.id.isEmpty, used > 0, try store.traffic(for: user.id) == .zero {
                // v1.3 counts up and down together; it is kept as download.
                try store.addTraffic([user.id: TrafficTotals(up: 0, down: UInt64(used))])
            }
            try editor.remove(["users", .index(index), "traffic_used"])
            moved.append("users[\(index)].traffic_used")
        }
        if let layout = config.legacyGraphLayout {
            if try store.graphLayout().isEmpty {
                try store.replaceGraphLayout(layout.mapValues { LayoutPosition(x: $0.x, y: $0.y) })
            }
            try editor.remove(["graph_layout"])
            moved.append("graph_layout")
        }
        return moved
    }

    private static func isEmpty(_ value: YAMLValue?) -> Bool {
        value == nil || value == .null || value == .string("")
    }
}
