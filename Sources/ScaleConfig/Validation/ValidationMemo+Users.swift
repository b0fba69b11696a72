extension ValidationMemo {
    /// The users of the last validation, in order, with what the next one needs of them: which
    /// had nothing to report, and how many users carry each id and username. The next list is
    /// matched against this one in order, a few places either way, so an edit of one user of
    /// 100,000 compares each user with its old self once, and hashes only the changed names.
    struct Users: Sendable {
        var users: [User] = []
        var clean: [Bool] = []
        var ids = NameCounts()
        var usernames = NameCounts()

        /// How many old users past the cursor a user is looked for.
        static let reach = 8

        /// Walks `current` against the last users: `check(user, index)` runs for each user that
        /// is new, changed or had something to report, and says whether it found nothing. The
        /// name counts follow the users added and dropped.
        mutating func update(to current: [User], check: (User, Int) -> Bool) {
            var cursor = 0
            var clean: [Bool] = []
            clean.reserveCapacity(current.count)
            for (i, user) in current.enumerated() {
                let end = min(cursor + Self.reach, users.count)
                if let j = (cursor..<end).first(where: { users[$0] == user }) {
                    for dropped in users[cursor..<j] { forget(dropped) }
                    cursor = j + 1
                    clean.append(self.clean[j] || check(user, i))
                } else {
                    ids.add(user.id)
                    usernames.add(user.username)
                    clean.append(check(user, i))
                }
            }
            for dropped in users[min(cursor, users.count)...] { forget(dropped) }
            users = current
            self.clean = clean
        }

        private mutating func forget(_ user: User) {
            ids.remove(user.id)
            usernames.remove(user.username)
        }
    }

    /// How many entries carry each name (empty names are not counted), and how many names more
    /// than one carries.
    struct NameCounts: Sendable {
        private var counts: [String: Int] = [:]
        private(set) var repeated = 0

        mutating func add(_ name: String) {
            guard !name.isEmpty else { return }
            counts[name, default: 0] += 1
            if counts[name] == 2 { repeated += 1 }
        }

        mutating func remove(_ name: String) {
            guard !name.isEmpty, let count = counts[name] else { return }
            if count == 2 { repeated -= 1 }
            counts[name] = count == 1 ? nil : count - 1
        }
    }
}
