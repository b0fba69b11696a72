public import Reconciler

extension NftOperation {
    /// The messages that carry out `plan`, in an order the kernel accepts within one batch.
    ///
    /// Pure. The batch is atomic, so there is no window to protect by adding before deleting;
    /// the order only has to satisfy the kernel's references: rules go before the sets they look
    /// up, old elements before new ones that may overlap them, and a chain or set exists before
    /// anything is put into it. Removing the table is one message, whatever else the plan holds.
    public static func operations(for plan: Plan<NftResource>) -> [NftOperation] {
        var removals: [NftOperation] = []  // rules and chains
        var setRemovals: [NftOperation] = []
        var setWork: [NftOperation] = []
        var chainWork: [NftOperation] = []
        var head: [NftOperation] = []
        for change in plan.changes {
            switch change {
            case .delete(.table):
                return [.deleteTable]
            case .create(.table), .update(_, .table):
                head = [.addTable]
            case .create(.set(let set)):
                setWork += creating(set)
            case .delete(.set(let set)):
                setRemovals.append(.deleteSet(name: set.name))
            case .update(.set(let old), .set(let new)):
                if old.keyType != new.keyType || old.kind != new.kind {
                    setRemovals.append(.deleteSet(name: old.name))
                    setWork += creating(new)
                } else {
                    // Element-level: only what differs is sent, so one changed target costs one
                    // or two elements, not a rewrite of the set.
                    let kept = Set(old.elements).intersection(new.elements)
                    let removed = old.elements.filter { !kept.contains($0) }
                    let added = new.elements.filter { !kept.contains($0) }
                    if !removed.isEmpty { setWork.append(.deleteElements(set: new.name, ranges: removed)) }
                    if !added.isEmpty { setWork.append(.addElements(set: new.name, ranges: added)) }
                }
            case .create(.chain(let chain)):
                chainWork += creating(chain)
            case .delete(.chain(let chain)):
                removals.append(.deleteChain(name: chain.name))
            case .update(.chain(let old), .chain(let new)):
                if old.hook != new.hook {
                    removals.append(.deleteChain(name: old.name))
                    chainWork += creating(new)
                } else {
                    // Every old rule goes by handle and every new one is appended: the batch is
                    // atomic, so packets never see the chain half rewritten.
                    removals += old.rules.compactMap { entry in entry.handle.map { .deleteRule(chain: old.name, handle: $0) } }
                    chainWork += addingRules(of: new)
                }
            case .update(let old, let new):
                // Resources of different kinds never share a key; replace, to be safe.
                removals += removing(old)
                switch new {
                case .set(let set): setWork += creating(set)
                case .chain(let chain): chainWork += creating(chain)
                case .table: head = [.addTable]
                }
            }
        }
        return head + removals + setRemovals + setWork + chainWork
    }

    private static func creating(_ set: NftSet) -> [NftOperation] {
        [.addSet(set)] + (set.elements.isEmpty ? [] : [.addElements(set: set.name, ranges: set.elements)])
    }

    private static func creating(_ chain: NftChainState) -> [NftOperation] {
        [.addChain(name: chain.name, hook: chain.hook)] + addingRules(of: chain)
    }

    private static func addingRules(of chain: NftChainState) -> [NftOperation] {
        chain.rules.compactMap { entry in
            entry.rule.map { .addRule(chain: chain.name, rule: $0, comment: entry.comment) }
        }
    }

    private static func removing(_ resource: NftResource) -> [NftOperation] {
        switch resource {
        case .table: [.deleteTable]
        case .set(let set): [.deleteSet(name: set.name)]
        case .chain(let chain): [.deleteChain(name: chain.name)]
        }
    }
}
