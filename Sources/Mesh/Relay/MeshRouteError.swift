/// Why the mesh could not open a stream or path; the text reaches logs and SOCKS/HTTP clients.
enum MeshRouteError: Error, CustomStringConvertible {
    case notConnected(String)
    case blocked(String, reason: String)
    case noControlStream
    case noAnswer(String)
    case linkClosed
    case disabled(String)
    case allPathsDisabled
    case loops(String, through: String)
    case notAuthorised(String, prefix: String)
    case noPathTo(String)
    case invalidPath(String)
    case udpBeyondOneHop(String)
    case notAnExit

    var description: String {
        switch self {
        case .notConnected(let name): "peer \"\(name)\" not connected"
        case .blocked(let name, let reason): "peer \"\(name)\" is blocked: \(reason)"
        case .noControlStream: "the inbound peer has not opened its control stream"
        case .noAnswer(let address): "the inbound peer did not answer the request for \(address)"
        case .linkClosed: "the peer session ended"
        case .disabled(let path): "exit path \"\(path)\" is disabled"
        case .allPathsDisabled: "all exit paths disabled"
        case .loops(let path, let name): "exit path \"\(path)\" loops back through \"\(name)\""
        case .notAuthorised(let path, let prefix): "exit path \"\(path)\" is not authorised by local nested config (\"\(prefix)\" is not nested)"
        case .noPathTo(let name): "no discovered path reaches \"\(name)\""
        case .invalidPath(let path): "exit path \"\(path)\" has a hop that cannot be written on the wire (no '_', '#bridge=' or empty hops)"
        case .udpBeyondOneHop(let path): "exit path \"\(path)\": UDP crosses one hop only (relay protocol v3)"
        case .notAnExit: "this node is not an exit (exit_node: false)"
        }
    }
}
