import Foundation

/// Labels each cluster with its most distinctive words, c-TF-IDF style (as BERTopic): a word's
/// frequency within the cluster times log(1 + average words per cluster / its frequency overall).
enum ClusterLabeler {
    static func clusters(texts: [String], assignment: [Int], words wordCount: Int) -> [Cluster] {
        let clusterCount = (assignment.max() ?? -1) + 1
        var members = [[Int]](repeating: [], count: clusterCount)
        for (index, cluster) in assignment.enumerated() { members[cluster].append(index) }
        let tokenized = texts.map { Terms.split($0).filter { $0.count > 1 && !Terms.stopWords.contains($0) } }
        var frequencies = [[String: Int]](repeating: [:], count: clusterCount)
        var overall: [String: Int] = [:]
        for (index, words) in tokenized.enumerated() {
            for word in words {
                frequencies[assignment[index]][word, default: 0] += 1
                overall[word, default: 0] += 1
            }
        }
        let averageWords = Double(overall.values.reduce(0, +)) / Double(max(1, clusterCount))
        return (0..<clusterCount).map { cluster in
            let size = Double(max(1, frequencies[cluster].values.reduce(0, +)))
            let scored = frequencies[cluster].map { word, count in
                (word: word, score: Double(count) / size * log(1 + averageWords / Double(overall[word]!)))
            }
            let top = scored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.word < $1.word) }.prefix(wordCount)
            return Cluster(id: cluster, label: top.map(\.word).joined(separator: ", "), members: members[cluster])
        }
    }
}
