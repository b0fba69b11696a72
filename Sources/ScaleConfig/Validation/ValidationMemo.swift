import Synchronization

/// The users and rules a validation found nothing to say about, for the next validation of the
/// same file: an edit of one user of 100,000 checks that user, not all of them.
///
/// An entry's own checks read nothing but the entry, the server password and the node's own
/// names; the kept entries are dropped when either of those changes. Entries with any issue,
/// notices included, are never kept, so every issue is reported on every validation. Checks
/// across entries (duplicate ids and names) run over all of them where the counts kept say
/// there is a duplicate, for the messages.
public final class ValidationMemo: Sendable {
    struct Clean: Sendable {
        var serverPassword: String
        var selfNames: Set<String>
        var users = Users()
        var rules: Set<RoutingRule> = []
        /// The last list of rules with nothing to say about it at all, duplicates included: a
        /// user's edit leaves the rules as they were (the decoder hands back the same list).
        var allRules: [RoutingRule]?
    }

    private let last = Mutex<Clean?>(nil)

    public init() {}

    /// The entries kept for the same server password and names, or none. They are taken, not
    /// copied, so the entries found clean now go into the same tables in place (a copy of
    /// 100,000 users per edit otherwise); a validation running meanwhile checks everything,
    /// and ``keep(_:)`` puts them back.
    func clean(serverPassword: String, selfNames: Set<String>) -> Clean {
        let taken = last.withLock { $0.take() }
        if let taken, taken.serverPassword == serverPassword, taken.selfNames == selfNames {
            return taken
        }
        return Clean(serverPassword: serverPassword, selfNames: selfNames)
    }

    func keep(_ clean: Clean) {
        last.withLock { $0 = clean }
    }
}

extension ValidationMemo.Clean {
    /// Drops entries no longer in the file once they are more than the file holds.
    mutating func trim(rules currentRules: [RoutingRule]) {
        if rules.count > 2 * currentRules.count + 64 { rules = rules.intersection(currentRules) }
    }
}
