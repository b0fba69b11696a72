import Crypto
import Foundation
import NodeState
import HTTPTypes
import Hummingbird
import Logging
import YAMLDocument
import NodeState
import ScaleConfig
import Reconciler

/// Facts about this build, for `/api/build-id` and `/api/build-info`.
public enum BuildInfo {
    /// The release version.
    public static let version = "0.1.0"

    /// The SQLite library in use.
    static var sqliteVersion: String { StateStore.libraryVersion }

    /// 16 hex characters that change whenever the served API document or UI changes, so an open
    /// browser tab can tell it must reload (reference §3.3).
    static let buildID: String = {
        let digest = SHA256.hash(data: Data((version + OpenAPIDocument.json + WebUIAssets.digest).utf8))
        return SecretGenerator.hex(digest.prefix(8))
    }()
}
