public import YAMLDocument

// The entries a file holds by the thousand: an edit of one of them decodes that one, and takes
// the others from the revision before (``YAMLDecodeMemo``).
extension User: YAMLReusableDecodable {}
extension RoutingRule: YAMLReusableDecodable {}
extension WireGuardPeer: YAMLReusableDecodable {}
