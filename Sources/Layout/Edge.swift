/// One undirected edge of the kNN graph, `a < b`, weighted by the fuzzy-union membership strength (0…1].
public struct Edge: Sendable, Hashable, Codable {
    public var a: Int
    public var b: Int
    public var weight: Double

    public init(a: Int, b: Int, weight: Double) {
        self.a = a
        self.b = b
        self.weight = weight
    }
}
