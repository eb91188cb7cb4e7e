import AtlasCore
import Layout

/// Well-separated Gaussian blobs: each blob has a random centre and its own vocabulary, and scores
/// are uniform so the radial order mixes the blobs.
struct SyntheticBlobs {
    var input: LayoutInput
    var blob: [Int]

    init(blobs: Int, perBlob: Int, dimensions: Int, spread: Double = 0.15, seed: UInt64 = 7) {
        let random = CounterRandom(seed: seed)
        var counter: UInt64 = 0
        func next() -> Double {
            counter += 1
            return random.gaussian(counter)
        }
        let centres = (0..<blobs).map { _ in (0..<dimensions).map { _ in next() } }
        var embeddings: [[Float]] = [], texts: [String] = [], scores: [Double] = [], blob: [Int] = []
        for b in 0..<blobs {
            for i in 0..<perBlob {
                embeddings.append(centres[b].map { Float($0 + spread * next()) })
                texts.append("topic\(b) word\(b)x sample \(i)")
                scores.append(random.uniform(1_000_000 + counter))
                counter += 1
                blob.append(b)
            }
        }
        input = LayoutInput(texts: texts, scores: scores, embeddings: embeddings)
        self.blob = blob
    }
}
