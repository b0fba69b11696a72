public import MeshWire
public import NIOCore
public import QUIC

/// What the Hysteria 2 server hands the relay streams of peers to. The mesh conforms; the node
/// wires it in, so the server does not depend on the mesh.
public protocol PeerStreamService: AnyObject, Sendable {
    /// Whether peers are refused as exits here (`exit_node: false`).
    var refusesPeerExits: Bool { get }

    /// Serves one relay stream whose sentinel address has been read; `leftover` holds the bytes
    /// read past it.
    func serve(_ stream: QUICStream, address: StreamAddress, leftover: ByteBuffer, on connection: QUICConnection) async
}
