import AtlasCore
import Foundation
import Testing
@testable import Layout

@Suite struct LayoutPartsTests {
    @Test func curveMatchesUMAPLearn() {
        let curve = UMAPCurve(minDist: 0.1, spread: 1)
        #expect(abs(curve.a - 1.577) < 0.01)
        #expect(abs(curve.b - 0.895) < 0.005)
        let wide = UMAPCurve(minDist: 0.5, spread: 1)
        #expect(abs(wide.a - 0.583) < 0.01 && abs(wide.b - 1.334) < 0.01)
    }

    @Test func fastPowerMatchesPowOverTheSGDsRange() {
        var worst = 0.0, checked = 0
        for b in [Float(0.5), 0.7915, 0.8956, 1.334, 2.5] {
            var x = 1e-30
            while x < 1e30 {
                let value = Float(x)
                let want = Foundation.pow(Double(value), Double(b))
                if want > 1e-37 && want < 1e38 {
                    worst = max(worst, abs(Double(FastPower.power(value, b)) - want) / want)
                    checked += 1
                }
                x *= 1.37
            }
        }
        #expect(checked > 800)
        #expect(worst < 1e-5)
        // The eight-lane form is the four-lane one twice: every lane as the scalar gives it.
        let lanes = SIMD8<Float>(1e-6, 0.01, 0.5, 1, 2, 37.5, 1e4, 3e9)
        let together = FastPower.power(lanes, 0.8956)
        #expect((0..<8).allSatisfy { together[$0] == FastPower.power(lanes[$0], 0.8956) })
    }

    @Test func approximateNeighborsRecallTheExactOnes() {
        let data = SyntheticBlobs(blobs: 10, perBlob: 150, dimensions: 48, spread: 0.6)
        let vectors = UnitVectors(rows: data.input.embeddings!)
        let exact = NeighborGraph.exact(vectors, k: 14, threads: 2)
        let approximate = NeighborGraph.approximate(vectors, k: 14, seed: 1, threads: 2)
        var found = 0
        for row in 0..<vectors.count {
            let truth = Set(exact.indices[(row * 14)..<((row + 1) * 14)])
            found += approximate.indices[(row * 14)..<((row + 1) * 14)].filter(truth.contains).count
        }
        #expect(Double(found) / Double(vectors.count * 14) > 0.95)
        let again = NeighborGraph.approximate(vectors, k: 14, seed: 1, threads: 1)
        #expect(again.indices == approximate.indices)
    }

    @Test func exactNeighborsAreNearestFirstWithoutSelf() {
        let rows: [[Float]] = (0..<50).map { i in [cos(Float(i) * 0.1), sin(Float(i) * 0.1), 0] }
        let graph = NeighborGraph.exact(UnitVectors(rows: rows), k: 4, threads: 2)
        #expect(Array(graph.indices[(10 * 4)..<(11 * 4)]).map(Int.init).sorted() == [8, 9, 11, 12])
        for row in 0..<50 {
            let distances = graph.distances[(row * 4)..<((row + 1) * 4)]
            #expect(zip(distances, distances.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(!graph.indices[(row * 4)..<((row + 1) * 4)].contains(Int32(row)))
        }
    }

    @Test func textEmbeddingIsDeterministicUnitAndSimilarityAware() {
        let a = TextEmbedding.embed("The cat sat on the mat", dimensions: 128)
        #expect(a == TextEmbedding.embed("The cat sat on the mat", dimensions: 128))
        #expect(abs(a.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        let near = TextEmbedding.embed("the cats sat on a mat", dimensions: 128)
        let far = TextEmbedding.embed("quarterly revenue forecast", dimensions: 128)
        func cosine(_ x: [Float], _ y: [Float]) -> Float { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }
        #expect(cosine(a, near) > cosine(a, far) + 0.3)
        #expect(TextEmbedding.embed("", dimensions: 16) == [Float](repeating: 0, count: 16))
    }

    @Test func badInputIsRejectedWithAClearError() {
        let settings = LayoutSettings.standard
        func error(_ input: LayoutInput, _ settings: LayoutSettings = .standard) -> LayoutError? {
            do {
                _ = try Layout.compute(input, settings: settings, seed: 0)
                return nil
            } catch { return error as? LayoutError }
        }
        #expect(error(LayoutInput(texts: ["a"], scores: [])) == .scoreCountMismatch(texts: 1, scores: 0))
        #expect(error(LayoutInput(texts: ["a", "b"], scores: [1, .nan])) == .nonFiniteScore(index: 1))
        #expect(error(LayoutInput(texts: ["a", "b"], scores: [1, 2], embeddings: [[1, 2], [1]]))
            == .raggedEmbedding(index: 1, length: 1, expected: 2))
        #expect(error(LayoutInput(texts: ["a"], scores: [1], embeddings: [[.infinity]])) == .nonFiniteEmbedding(index: 0))
        #expect(error(LayoutInput(texts: ["a"], scores: [1], embeddings: [])) == .embeddingCountMismatch(texts: 1, embeddings: 0))
        var given = settings
        given.mode = .given
        #expect(error(LayoutInput(texts: ["a"], scores: [1]), given) == .missingPositions)
        var bad = settings
        bad.nNeighbors = 1
        let invalid = error(LayoutInput(texts: ["a"], scores: [1]), bad)
        #expect(invalid == .invalidSetting(key: "n_neighbors", message: "1 is out of range; allowed 2…200"))
        #expect(invalid?.description == "Layout setting 'n_neighbors': 1 is out of range; allowed 2…200.")
    }

    @Test func settingsDecodeStrictlyAndCheckRanges() throws {
        // Every key is required (the base style defines them all): a partial section is an error, not code defaults.
        let partial = #"{"mode": "umap", "nNeighbors": 30, "minDist": 0.3}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LayoutSettings.self, from: Data(partial.utf8)) }
        var expected = LayoutSettings.standard
        expected.mode = .umap
        expected.nNeighbors = 30
        let settings = try JSONDecoder().decode(LayoutSettings.self, from: try JSONEncoder().encode(expected))
        #expect(settings == expected)
        var check = SettingsCheck()
        LayoutSettings.standard.check(&check)
        #expect(check.violations.isEmpty)
        var wrong = LayoutSettings.standard
        wrong.minDist = 2
        wrong.radialSpring = 1.5
        var failing = SettingsCheck()
        wrong.check(&failing)
        #expect(failing.violations.map(\.key) == ["min_dist", "radial_spring"])
    }

    @Test func clusterLabelsPreferDistinctiveWords() {
        let texts = ["red apple pie", "red apple tart", "blue ocean wave", "blue ocean tide"]
        let clusters = ClusterLabeler.clusters(texts: texts, assignment: [0, 0, 1, 1], words: 2)
        #expect(clusters.map(\.label) == ["apple, red", "blue, ocean"])
        #expect(clusters.map(\.members) == [[0, 1], [2, 3]])
    }
}
