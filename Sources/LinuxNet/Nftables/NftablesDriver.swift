import Glibc
public import Reconciler

/// Converges table `inet hy2scale` to what the config wants, over netlink.
///
/// `desired(for:)` runs the pure `table` closure; a `nil` table means none is wanted, so the
/// whole table goes in one message. `observe()` reads our table only. `apply(_:)` sends the
/// whole plan as one atomic batch: either every change lands or none does, and the kernel's
/// reason is reported on every change.
public struct NftablesDriver<Config: Sendable>: Driver {
    public let kind = "nftables"
    private let table: @Sendable (Config) -> NftTable?
    private let socket: NetlinkSocket

    /// - Parameters:
    ///   - table: what a config wants, computed without I/O; `nil` for no table at all.
    ///   - socket: where the table lives (the host's namespace, or a test's).
    public init(socket: NetlinkSocket, table: @escaping @Sendable (Config) -> NftTable?) {
        self.socket = socket
        self.table = table
    }

    public func desired(for config: Config) -> [NftResource] {
        table(config)?.resources ?? []
    }

    /// The table, its sets and its chains as they are in the kernel; empty if there is no table.
    ///
    /// A process without `CAP_NET_ADMIN` may not read nftables at all; it cannot have made a
    /// table either, so it sees none, and a node without rules runs unprivileged without a
    /// failure in every reconcile. Wanting a table without the capability still fails, at apply.
    /// - Throws: ``NetlinkError`` when the kernel cannot be asked.
    public func observe() async throws -> [NftResource] {
        do {
            return try NftTableReader(socket: socket).read()
        } catch let error as NetlinkError where error.code == EPERM {
            return []
        }
    }

    /// Sends every change of `plan` in one batch; the one result becomes every change's outcome.
    public func apply(_ plan: Plan<NftResource>) async -> [Outcome<NftResource>] {
        guard !plan.isEmpty else { return [] }
        do {
            try NftBatch.send(NftOperation.operations(for: plan), through: socket)
            return plan.changes.map { .applied($0) }
        } catch {
            return plan.changes.map { .failed($0, reason: "\(error)") }
        }
    }
}
