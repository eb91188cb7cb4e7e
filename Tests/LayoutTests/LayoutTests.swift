import Foundation
import Testing
@testable import Layout

@Suite struct LayoutTests {
    private var fast: LayoutSettings {
        var settings = LayoutSettings.standard
        settings.epochs = 200
        return settings
    }

    @Test func constrainedLayoutHonoursTheRadialOrder() throws {
        let data = SyntheticBlobs(blobs: 4, perBlob: 60, dimensions: 32)
        let layout = try Layout.compute(data.input, settings: fast, seed: 1)
        let radius = layout.positions.map { -($0 * $0).sum().squareRoot() }
        #expect(LayoutQuality.spearman(data.input.scores, radius) >= 0.98)
        let top = data.input.scores.indices.max { data.input.scores[$0] < data.input.scores[$1] }!
        #expect(radius[top] == radius.max())
        #expect(layout.positions.allSatisfy { ($0 * $0).sum() <= 1 })
    }

    @Test func plainUMAPIsTrustworthy() throws {
        let data = SyntheticBlobs(blobs: 5, perBlob: 50, dimensions: 32, spread: 0.4)
        var settings = fast
        settings.mode = .umap
        let layout = try Layout.compute(data.input, settings: settings, seed: 3)
        let trust = LayoutQuality.trustworthiness(embeddings: data.input.embeddings!, positions: layout.positions)
        #expect(trust > 0.9)
        #expect(layout.positions.allSatisfy { ($0 * $0).sum() <= 1 })
    }

    @Test func sameSeedGivesTheSameLayoutAtAnyThreadCount() throws {
        let data = SyntheticBlobs(blobs: 3, perBlob: 40, dimensions: 16)
        for mode in [LayoutMode.constrained, .umap] {
            var settings = fast
            settings.mode = mode
            let one = try Layout.compute(data.input, settings: settings, seed: 9, threads: 1)
            let two = try Layout.compute(data.input, settings: settings, seed: 9, threads: 2)
            let again = try Layout.compute(data.input, settings: settings, seed: 9, threads: 2)
            let three = try Layout.compute(data.input, settings: settings, seed: 9, threads: 3)
            #expect(one.positions == two.positions)
            #expect(one.positions == three.positions)
            #expect(two.positions == again.positions)
            #expect(one.edges == two.edges)
            #expect(one.clusters == two.clusters)
            #expect(one.clusterInfo == two.clusterInfo)
            let other = try Layout.compute(data.input, settings: settings, seed: 10, threads: 2)
            #expect(other.positions != one.positions)
        }
    }

    @Test func separatedBlobsAreContiguousInAngleAndClustered() throws {
        let data = SyntheticBlobs(blobs: 4, perBlob: 50, dimensions: 32)
        let layout = try Layout.compute(data.input, settings: fast, seed: 2)
        // Walking round the circle, each blob is one arc: the label changes once per blob.
        // The few points nearest the centre have no meaningful angle and are left out.
        let outer = layout.positions.indices.filter { (layout.positions[$0] * layout.positions[$0]).sum() > 0.3 * 0.3 }
        let byAngle = outer.sorted { atan2(layout.positions[$0].y, layout.positions[$0].x) < atan2(layout.positions[$1].y, layout.positions[$1].x) }
        let changes = byAngle.indices.filter { data.blob[byAngle[$0]] != data.blob[byAngle[($0 + 1) % byAngle.count]] }.count
        #expect(changes == 4)
        // Each blob is one cluster, labelled by its own words.
        #expect(layout.clusterInfo.count == 4)
        for cluster in layout.clusterInfo {
            let blobs = Set(cluster.members.map { data.blob[$0] })
            #expect(blobs.count == 1)
            #expect(cluster.label.contains("topic\(blobs.first!)"))
        }
    }

    @Test(arguments: [1, 2, 3, 15, 16])
    func tinyInputsHaveFinitePositionsInTheDisc(count: Int) throws {
        let data = SyntheticBlobs(blobs: 1, perBlob: count, dimensions: 8)
        for mode in [LayoutMode.constrained, .umap] {
            var settings = fast
            settings.mode = mode
            let layout = try Layout.compute(data.input, settings: settings, seed: 4)
            #expect(layout.positions.count == count)
            #expect(layout.positions.allSatisfy { $0.x.isFinite && $0.y.isFinite && ($0 * $0).sum() <= 1 })
            #expect(layout.radii.allSatisfy { $0.isFinite })
            #expect(layout.clusters.count == count)
        }
        if count == 1 {
            let layout = try Layout.compute(data.input, settings: fast, seed: 4)
            #expect(layout.positions == [.zero])
        }
    }

    @Test func duplicateEmbeddingsAndTextsAreFine() throws {
        let input = LayoutInput(
            texts: Array(repeating: "the same words", count: 30),
            scores: (0..<30).map { Double($0 % 3) },
            embeddings: Array(repeating: [1, 0, 0, 0], count: 30))
        for mode in [LayoutMode.constrained, .umap] {
            var settings = fast
            settings.mode = mode
            let layout = try Layout.compute(input, settings: settings, seed: 5)
            #expect(layout.positions.allSatisfy { $0.x.isFinite && $0.y.isFinite && ($0 * $0).sum() <= 1 })
            #expect(layout.edges.allSatisfy { $0.weight.isFinite && $0.weight > 0 && $0.weight <= 1 })
        }
        let textOnly = LayoutInput(texts: ["", "", "a b", "a b"], scores: [1, 2, 3, 4])
        let layout = try Layout.compute(textOnly, settings: fast, seed: 5)
        #expect(layout.positions.allSatisfy { $0.x.isFinite && $0.y.isFinite })
    }

    @Test func emptyInputGivesAnEmptyLayout() throws {
        let layout = try Layout.compute(LayoutInput(texts: [], scores: []), settings: .standard, seed: 0)
        #expect(layout.positions.isEmpty && layout.edges.isEmpty && layout.clusterInfo.isEmpty)
    }

    @Test func edgesAreTheSymmetricKNNGraph() throws {
        let data = SyntheticBlobs(blobs: 2, perBlob: 40, dimensions: 16)
        let layout = try Layout.compute(data.input, settings: fast, seed: 6)
        #expect(layout.edges.allSatisfy { $0.a < $0.b && $0.weight > 0 && $0.weight <= 1 })
        #expect(Set(layout.edges.map { [$0.a, $0.b] }).count == layout.edges.count)
        // Every point keeps its nearest neighbour at full strength (ρ calibration).
        for point in 0..<80 {
            #expect(layout.edges.contains { ($0.a == point || $0.b == point) && $0.weight > 1 - 1e-12 })
        }
    }

    @Test func givenPositionsAreKeptOrFittedIntoTheDisc() throws {
        var input = LayoutInput(texts: ["a", "b", "c"], scores: [3, 2, 1], positions: [[0, 0], [0.5, 0], [0, -0.5]])
        var settings = LayoutSettings.standard
        settings.mode = .given
        #expect(try Layout.compute(input, settings: settings, seed: 0).positions == input.positions!)
        input.positions = [[0, 0], [10, 0], [0, 4]]
        let fitted = try Layout.compute(input, settings: settings, seed: 0).positions
        #expect(fitted.allSatisfy { ($0 * $0).sum() <= 1 })
        #expect(abs(fitted.map { ($0 * $0).sum() }.max()! - 1) < 1e-12)
    }

    @Test func regionRadiiFollowTheScoreLaw() throws {
        var settings = fast
        settings.regionScale = 0.2
        settings.regionMinimum = 0.25
        let data = SyntheticBlobs(blobs: 2, perBlob: 20, dimensions: 8)
        let layout = try Layout.compute(data.input, settings: settings, seed: 1)
        let top = data.input.scores.indices.max { data.input.scores[$0] < data.input.scores[$1] }!
        #expect(layout.radii[top] == 0.2)
        #expect(layout.radii.min()! == 0.2 * 0.25)
        for i in 0..<40 {
            for j in 0..<40 where data.input.scores[i] > data.input.scores[j] {
                #expect(layout.radii[i] >= layout.radii[j])
            }
        }
    }
}

@Suite struct LayoutOptionsTests {
    @Test func softSpringKeepsMostOfTheRadialOrder() throws {
        let data = SyntheticBlobs(blobs: 3, perBlob: 50, dimensions: 16)
        var settings = LayoutSettings.standard
        settings.epochs = 200
        settings.radialSpring = 0.5
        settings.relaxIterations = 0
        let layout = try Layout.compute(data.input, settings: settings, seed: 1)
        let radius = layout.positions.map { -($0 * $0).sum().squareRoot() }
        #expect(LayoutQuality.spearman(data.input.scores, radius) > 0.9)
        #expect(layout.positions.allSatisfy { ($0 * $0).sum() <= 1 })
    }

    @Test func approximateNeighborsAreUsedAboveTheLimit() throws {
        let data = SyntheticBlobs(blobs: 4, perBlob: 50, dimensions: 32)
        var settings = LayoutSettings.standard
        settings.epochs = 100
        let exact = try Layout.compute(data.input, settings: settings, seed: 1)
        settings.exactNeighborLimit = 100
        let approximate = try Layout.compute(data.input, settings: settings, seed: 1, threads: 1)
        let again = try Layout.compute(data.input, settings: settings, seed: 1, threads: 2)
        #expect(approximate.positions == again.positions)
        // Well-separated blobs: the approximate graph finds the same neighbours.
        #expect(Set(approximate.edges.map { [$0.a, $0.b] }) == Set(exact.edges.map { [$0.a, $0.b] }))
    }

    @Test func textOnlyInputIsClusteredByItsWords() throws {
        let themes = ["ocean waves tide coral reef", "violin cello orchestra symphony", "volcano lava magma eruption"]
        let texts = (0..<60).map { i in themes[i % 3] + " note \(i)" }
        let scores = (0..<60).map { Double($0) }
        var settings = LayoutSettings.standard
        settings.epochs = 100
        let layout = try Layout.compute(LayoutInput(texts: texts, scores: scores), settings: settings, seed: 3)
        #expect(layout.clusterInfo.count == 3)
        for cluster in layout.clusterInfo {
            let theme = Set(cluster.members.map { $0 % 3 })
            #expect(theme.count == 1)
            let words = cluster.label.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(words.allSatisfy { themes[theme.first!].contains($0) })
        }
    }
}

@Suite("Angular coverage")
struct AngularCoverageTests {
    /// Texts that share most of their words (the built-in embedding's hard case) still fill the
    /// whole circle: no half of the disc is left empty.
    @Test func textOnlyLayoutsFillTheCircle() throws {
        // The bundled example: 300 prompts built from a few templates, so they share most words.
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/sea-light.jsonl")
        let records = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").dropFirst()
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let texts = records.map { $0["text"] as! String }
        let scores = records.map { ($0["score"] as! NSNumber).doubleValue }
        let layout = try Layout.compute(LayoutInput(texts: texts, scores: scores), settings: .standard, seed: 3)
        let outer = layout.positions.filter { ($0 * $0).sum().squareRoot() > 0.5 }
        let quadrants = Set(outer.map { ($0.x >= 0 ? 1 : 0) + ($0.y >= 0 ? 2 : 0) })
        #expect(quadrants.count == 4)
        let centroid = layout.positions.reduce(SIMD2<Double>.zero, +) / Double(layout.positions.count)
        #expect((centroid * centroid).sum().squareRoot() < 0.2)
    }
}
