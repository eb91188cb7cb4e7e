/// Splits text into lowercase terms for the bag-of-words embedding and cluster labels (runs of letters and digits); `{{…}}` highlight markup falls away.
enum Terms {
    static func split(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// Words that say nothing about a cluster; kept out of labels only (the embedding keeps them).
    static let stopWords: Set<String> = [
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by",
        "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how",
        "i", "if", "in", "into", "is", "it", "its", "just", "me", "more", "my", "no", "not", "of", "on", "one",
        "or", "our", "out", "she", "so", "some", "than", "that", "the", "their", "them", "then", "there",
        "these", "they", "this", "to", "up", "us", "was", "we", "were", "what", "when", "which", "who", "will",
        "with", "would", "you", "your", "s", "t",
    ]
}
