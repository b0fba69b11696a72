import Foundation
import NodeState
import ScaleConfig

extension ValidationContext {
    /// The context for a config next to the state directory at `path`, read without creating
    /// anything (so `validate` and `plan` never write).
    static func reading(stateDirectory path: String) -> ValidationContext {
        let state = StateDirectory.inspect(path: path)
        return ValidationContext(tlsCertificateIDs: state.certificateIDs, nodeID: state.nodeID) { file in
            FileManager.default.fileExists(atPath: file)
        }
    }
}
