import MeshWire
public import Mesh
public import ScaleConfig

extension MeshSettings {
    /// The settings of `config`; `stateNodeID` names the node when the file does not.
    public init(config: Config, stateNodeID: String) {
        self.init(name: config.effectiveName(stateNodeID: stateNodeID), nodeID: config.nodeID ?? stateNodeID,
                  isExitNode: config.isExitNode, clients: config.clients.map(MeshClient.init),
                  flags: config.peers.mapValues { PathFlags(isNested: $0.isNested, isDisabled: $0.isDisabled) },
                  peerListLimits: PeerListLimits(maximumBytes: config.maxResponseBytes, maximumDepth: config.maxNestedDepth,
                                                 maximumNodes: config.maxResponseNodes))
    }
}

extension MeshClient {
    /// The dialling part of a `clients[]` entry. The QUIC window and BBR fields are validated
    /// but not used by the mesh's client yet.
    public init(_ peer: OutboundPeer) {
        self.init(name: peer.name, address: peer.address, addresses: peer.addresses, password: peer.password,
                  serverName: peer.serverName, isInsecure: peer.isInsecure, certificateAuthority: peer.certificateAuthority,
                  maxTransmitRate: peer.maxTransmitRate, maxReceiveRate: peer.maxReceiveRate, isDisabled: peer.isDisabled)
    }
}
