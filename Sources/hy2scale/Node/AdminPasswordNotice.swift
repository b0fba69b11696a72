import Foundation
import Logging
import NodeState
import ScaleConfig

/// Says at start-up, in one line, when the admin password still has to be changed: where the
/// initial password is (never the password), or that admin/admin only works from this machine.
struct AdminPasswordNotice {
    let initialPassword: InitialAdminPassword
    let logger: Logger

    func log(for config: Config) {
        if initialPassword.isInForce(storedHash: config.webPassword) {
            logger.notice("the initial admin password is in force: read it, log in and change it (or run hy2scale passwd)",
                          metadata: ["password.file": "\(initialPassword.fileURL.path)"])
        } else if AdminPassword.isStoredDefault(config.webPassword) {
            logger.warning("the admin password is admin: it is accepted only from this machine until it is changed (hy2scale passwd)")
        }
    }
}
