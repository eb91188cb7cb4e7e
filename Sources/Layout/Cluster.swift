/// A group of contexts found on the kNN graph, labelled by its most distinctive words.
public struct Cluster: Sendable, Codable, Equatable {
    /// Index into `Layout.clusterInfo`; clusters are numbered largest first.
    public var id: Int
    /// The most distinctive words, comma-separated (empty when the texts have no usable words).
    public var label: String
    /// Context indices, ascending.
    public var members: [Int]

    public init(id: Int, label: String, members: [Int]) {
        self.id = id
        self.label = label
        self.members = members
    }
}
