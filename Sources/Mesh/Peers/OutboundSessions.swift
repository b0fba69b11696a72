/// The running sessions to configured peers, by primary address. Reconciles call into it one at
/// a time; its state is updated before any session is awaited, so a call that overlaps another
/// still sees every session exactly once.
actor OutboundSessions {
    private var running: [String: OutboundSession] = [:]

    /// Stops the sessions of removed, disabled or edited clients (every one when `restartingAll`)
    /// and starts those of new ones; the others carry on.
    func converge(to wanted: [String: MeshClient], restartingAll: Bool, node: MeshNode) async {
        var stopping: [OutboundSession] = []
        for (address, session) in running where restartingAll || wanted[address] != session.client {
            stopping.append(session)
            running[address] = nil
        }
        var starting: [OutboundSession] = []
        for (address, client) in wanted where running[address] == nil {
            let session = OutboundSession(client: client, node: node)
            running[address] = session
            starting.append(session)
        }
        for session in stopping { await session.stop() }
        for session in starting { session.start() }
    }

    /// Stops every session.
    func stopAll() async {
        let all = Array(running.values)
        running.removeAll()
        for session in all { await session.stop() }
    }
}
