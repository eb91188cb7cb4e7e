import AtlasCore

/// The built-in text embedding used when the input carries none: signed feature hashing of words,
/// word bigrams and character trigrams, L2-normalised. Deterministic on every machine (FNV hashes),
/// and good enough that texts sharing words or word stems land near each other.
public enum TextEmbedding {
    private static let wordSeed: UInt64 = 0x5157_4f52_4400_0001
    private static let bigramSeed: UInt64 = 0x5157_4f52_4400_0002
    private static let trigramSeed: UInt64 = 0x5157_4f52_4400_0003

    /// A unit vector of `dimensions` values (all zero for a text without words).
    public static func embed(_ text: String, dimensions: Int) -> [Float] {
        precondition(dimensions > 0, "TextEmbedding needs at least one dimension")
        var vector = [Float](repeating: 0, count: dimensions)
        func add(_ hash: UInt64, _ weight: Float) {
            let mixed = StableHash.mix(hash)
            let index = Int(mixed % UInt64(dimensions))
            vector[index] += (mixed >> 63) == 0 ? weight : -weight
        }
        let words = Terms.split(text)
        for (i, word) in words.enumerated() {
            add(StableHash.of(word, seed: wordSeed), 1)
            if i > 0 { add(StableHash.of(words[i - 1] + " " + word, seed: bigramSeed), 0.5) }
            // Trigrams of "<word>" let inflections and compounds share features.
            let scalars = Array("<\(word)>".unicodeScalars)
            if scalars.count >= 3 {
                for start in 0...(scalars.count - 3) {
                    var hash = trigramSeed
                    for scalar in scalars[start..<(start + 3)] {
                        hash = StableHash.combine(hash, UInt64(scalar.value))
                    }
                    add(hash, 0.3)
                }
            }
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 {
            for i in vector.indices { vector[i] /= norm }
        }
        return vector
    }
}
