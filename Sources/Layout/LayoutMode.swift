/// How positions are produced.
public enum LayoutMode: String, Codable, Sendable, CaseIterable {
    /// UMAP forces on the angle only; the radius is fixed by the score rank (strongest in the centre).
    case constrained
    /// Plain UMAP, for comparison with umap-learn; the result is only centred and scaled into the disc.
    case umap
    /// Positions come with the input; only the graph, clusters and regions are computed.
    case given
}
