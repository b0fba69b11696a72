/// Saved coordinates of one node in the topology graph (v1.3 `graph_layout` values).
public struct GraphPosition: Codable, Sendable, Equatable {
    /// Horizontal coordinate.
    public var x: Double
    /// Vertical coordinate.
    public var y: Double

    /// A position.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    enum CodingKeys: String, CodingKey { case x, y }

    /// Decodes `{x, y}`; absent coordinates are 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        x = try c.value(.x, or: 0)
        y = try c.value(.y, or: 0)
    }
}
