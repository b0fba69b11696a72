import Glibc
import Synchronization
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
    private let seen = ObservedTable()

    /// - Parameters:
    ///   - table: what a config wants, computed without I/O; `nil` for no table at all.
    ///   - socket: where the table lives (the host's namespace, or a test's).
    public init(socket: NetlinkSocket, table: @escaping @Sendable (Config) -> NftTable?) {
        self.socket = socket
        self.table = table
    }

    public func desired(for config: Config) -> [NftResource] {
        guard let table = table(config) else { return [] }
        return seen.resources(of: table)
    }

    /// The table, its sets and its chains as they are in the kernel; empty if there is no table.
    ///
    /// A process without `CAP_NET_ADMIN` may not read nftables at all; it cannot have made a
    /// table either, so it sees none, and a node without rules runs unprivileged without a
    /// failure in every reconcile. Wanting a table without the capability still fails, at apply.
    /// - Throws: ``NetlinkError`` when the kernel cannot be asked.
    public func observe() async throws -> [NftResource] {
        let reader = NftTableReader(socket: socket)
        do {
            let generation = try reader.generation()
            if let known = seen.table(at: generation) { return known }
            let resources = try reader.read()
            // Kept only if nothing was committed while the table was being read.
            if try reader.generation() == generation { seen.remember(resources, at: generation) }
            return resources
        } catch let error as NetlinkError where error.code == EPERM {
            return []
        }
    }

    /// Sends every change of `plan` in one batch; the one result becomes every change's outcome.
    public func apply(_ plan: Plan<NftResource>) async -> [Outcome<NftResource>] {
        guard !plan.isEmpty else { return [] }
        let reader = NftTableReader(socket: socket)
        let before = try? reader.generation()
        do {
            try NftBatch.send(NftOperation.operations(for: plan), through: socket)
        } catch {
            seen.forget()
            return plan.changes.map { .failed($0, reason: "\(error)") }
        }
        // When this batch was the only commit, the table is what was known plus the plan: the
        // sets as planned, the chains read back for the handles the kernel gave their rules.
        if let before, let known = seen.table(at: before), let after = try? reader.generation(), after == before &+ 1,
           let chains = try? reader.readChains() {
            seen.remember(Self.applying(plan, to: known, chains: chains), at: after)
        } else {
            seen.forget()
        }
        return plan.changes.map { .applied($0) }
    }

    /// `observed` after `plan`, with `chains` as read back.
    static func applying(_ plan: Plan<NftResource>, to observed: [NftResource], chains: [NftChainState]) -> [NftResource] {
        var byKey = Dictionary(observed.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for change in plan.changes {
            switch change {
            case .create(let resource), .update(_, let resource): byKey[resource.key] = resource
            case .delete(.table): byKey = [:]
            case .delete(let resource): byKey[resource.key] = nil
            }
        }
        guard byKey[NftResource.table.key] != nil else { return [] }
        let sets = byKey.values.filter { if case .set = $0 { true } else { false } }.sorted { $0.key < $1.key }
        return [.table] + sets + chains.map(NftResource.chain)
    }
}

/// What the driver last read or wrote, with the ruleset generation it was true at: a reconcile
/// with nothing committed since asks the kernel one question instead of reading ten thousand
/// sets back (the kernel finds each set by name in a list, so reading them all grows with the
/// square of their number). Anything committed by anyone changes the generation, so drift is
/// still seen on the next reconcile.
///
/// It also keeps the last desired table's resources: they fingerprint every rule, which is
/// worth doing once per table rather than once per reconcile.
final class ObservedTable: Sendable {
    private let last = Mutex<(generation: UInt32, resources: [NftResource])?>(nil)
    private let wanted = Mutex<(table: NftTable, resources: [NftResource])?>(nil)

    /// `table.resources`, from the last call when the table is the same.
    func resources(of table: NftTable) -> [NftResource] {
        if let wanted = wanted.withLock({ $0 }), wanted.table == table { return wanted.resources }
        let resources = table.resources
        wanted.withLock { $0 = (table, resources) }
        return resources
    }

    func table(at generation: UInt32) -> [NftResource]? {
        last.withLock { $0?.generation == generation ? $0?.resources : nil }
    }

    /// Keeps `resources` as the table at `generation`. When they are what was last wanted, they
    /// are kept in the wanted order, so the next diff finds the two lists equal in one pass
    /// (the kernel's rule handles stay: an update deletes rules by them).
    func remember(_ resources: [NftResource], at generation: UInt32) {
        var kept = resources
        if let wanted = wanted.withLock({ $0?.resources }), wanted.count == resources.count {
            let byKey = Dictionary(resources.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            let ordered = wanted.compactMap { byKey[$0.key] }
            if ordered.count == wanted.count, ordered == wanted { kept = ordered }
        }
        last.withLock { $0 = (generation, kept) }
    }

    func forget() { last.withLock { $0 = nil } }
}
