public import HysteriaServer
import Inbounds
public import Mesh

/// The Hysteria 2 server hands peers' relay streams to the mesh through this conformance.
extension MeshNode: PeerStreamService {
    public var refusesPeerExits: Bool { !settings.isExitNode }
}
