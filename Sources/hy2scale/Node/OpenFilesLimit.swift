import Glibc
import Logging
import SystemCalls

/// Every relayed flow holds two descriptors (client and target socket), so 5,000 flows are over
/// 10,000 descriptors, while the soft RLIMIT_NOFILE a process starts with is usually 1,024
/// (systemd's default, and most shells'). The hard limit is what the administrator allows
/// (`LimitNOFILE=` in the unit); raising the soft limit up to it needs no privilege, so the node
/// takes all it is allowed rather than refusing connections at a thousand flows.
enum OpenFilesLimit {
    /// Raises the soft limit to the hard limit; logs the outcome. Failure is logged, not thrown:
    /// the node still runs, with fewer flows.
    static func raise(logger: Logger) {
        var limit: rlimit
        do throws(SystemCallError) {
            limit = try Posix.getrlimit(RLIMIT_NOFILE)
        } catch {
            logger.warning("cannot read the open files limit", metadata: ["error": "\(error.reason)"])
            return
        }
        let before = limit.rlim_cur
        guard before < limit.rlim_max else {
            logger.debug("open files limit already at its maximum", metadata: ["limit.open_files": "\(before)"])
            return
        }
        limit.rlim_cur = limit.rlim_max
        do throws(SystemCallError) {
            try Posix.setrlimit(RLIMIT_NOFILE, limit)
        } catch {
            logger.warning("cannot raise the open files limit", metadata: [
                "limit.open_files": "\(before)", "limit.open_files_max": "\(limit.rlim_max)",
                "error": "\(error.reason)",
            ])
            return
        }
        logger.info("open files limit raised", metadata: [
            "limit.open_files_before": "\(before)", "limit.open_files": "\(limit.rlim_cur)",
        ])
    }
}
