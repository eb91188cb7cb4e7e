import AtlasCore
import Foundation
import Layout

/// `AtlasBenchmarks layout [--sizes 250,3000,20000] [--export DIR] [--trust-rows N]`
///
/// Lays out synthetic clustered data (Gaussian blobs on low-dimensional manifolds in 384-D) at each
/// size and prints the wall and CPU time (kNN graph included), peak memory, trustworthiness@10 (cosine) and the
/// Spearman correlation of score with −radius. `--export` writes the data and our positions as
/// `.npy` for `Benchmarks/layout/compare_umap.py`.
enum LayoutBenchmark {
    static func run(arguments: [String]) {
        var sizes = [250, 3000, 20000]
        var exportDirectory: URL?
        var trustRows = 3000
        var modes = [LayoutMode.constrained, .umap]
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--sizes": sizes = (remaining.popFirst() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--export": exportDirectory = remaining.popFirst().map { URL(fileURLWithPath: $0) }
            case "--trust-rows": trustRows = Int(remaining.popFirst() ?? "") ?? trustRows
            case "--modes": modes = (remaining.popFirst() ?? "").split(separator: ",").compactMap { LayoutMode(rawValue: String($0)) }
            default:
                print("layout benchmark: unknown argument '\(argument)'; use --sizes, --modes, --export or --trust-rows")
                return
            }
        }
        print("layout  threads=\(ProcessInfo.processInfo.activeProcessorCount)")
        print("points  mode         seconds  cpu s  trust@10  spearman(score,-r)  peak MB")
        for n in sizes {
            let data = ClusteredData(count: n, dimensions: 384, seed: 2024)
            for mode in modes {
                var settings = LayoutSettings.standard
                settings.mode = mode
                let start = Date(), cpuStart = cpuSeconds()
                let layout: Layout
                do {
                    layout = try Layout.compute(data.input, settings: settings, seed: 1)
                } catch {
                    print("layout failed: \(error)")
                    return
                }
                let seconds = Date().timeIntervalSince(start), cpu = cpuSeconds() - cpuStart
                let peak = peakMemoryMB()
                let trust = LayoutQuality.trustworthiness(
                    embeddings: data.input.embeddings!, positions: layout.positions, k: 10, sampleRows: trustRows)
                let spearman = LayoutQuality.spearman(
                    data.input.scores, layout.positions.map { -($0 * $0).sum().squareRoot() })
                let name = mode.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                print(String(format: "%6d  ", n) + name + String(format: " %8.3f %6.2f  %8.4f  %18.4f  %7.0f", seconds, cpu, trust, spearman, peak))
                if let exportDirectory {
                    let positions = layout.positions.flatMap { [$0.x, $0.y] }
                    write(positions, shape: [n, 2], to: exportDirectory.appendingPathComponent("layout_\(n)_\(mode.rawValue).npy"))
                }
            }
            if let exportDirectory {
                write(data.input.embeddings!.flatMap { $0 }, shape: [n, 384], to: exportDirectory.appendingPathComponent("layout_\(n).npy"))
                write(data.input.scores, shape: [n], to: exportDirectory.appendingPathComponent("layout_\(n)_scores.npy"))
            }
        }
    }

    /// A minimal NumPy v1.0 writer (little-endian, C order).
    private static func write<T: BinaryFloatingPoint>(_ values: [T], shape: [Int], to url: URL) {
        let descriptor = T.self == Float.self ? "<f4" : "<f8"
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descriptor)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Magic (6) + version (2) + length (2) + header must be a multiple of 64, ending in a newline.
        header += String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        } catch {
            print("could not write \(url.path): \(error)")
        }
    }
}

/// Synthetic contexts: 12 clusters of uneven size, each a 6-dimensional Gaussian manifold
/// embedded in 384-D plus isotropic noise, so there is structure both between and within
/// clusters. Scores rise with a hidden direction plus noise, so they are unrelated to clusters.
private struct ClusteredData {
    var input: LayoutInput

    init(count: Int, dimensions: Int, seed: UInt64) {
        let random = CounterRandom(seed: seed)
        var counter: UInt64 = 0
        func gaussian() -> Double {
            counter += 1
            return random.gaussian(counter)
        }
        let clusters = 12, latent = 6
        let centres = (0..<clusters).map { _ in (0..<dimensions).map { _ in 1.2 * gaussian() } }
        let bases = (0..<clusters).map { _ in (0..<latent).map { _ in (0..<dimensions).map { _ in 0.45 * gaussian() } } }
        let weights = (0..<clusters).map { 1.0 + Double($0 % 4) }
        let totalWeight = weights.reduce(0, +)
        var embeddings: [[Float]] = [], scores: [Double] = [], texts: [String] = []
        embeddings.reserveCapacity(count)
        for i in 0..<count {
            // Cluster sizes ∝ weights.
            var position = Double(i) / Double(count) * totalWeight, cluster = 0
            while position >= weights[cluster], cluster < clusters - 1 {
                position -= weights[cluster]
                cluster += 1
            }
            var row = centres[cluster]
            for axis in 0..<latent {
                let t = gaussian()
                for d in 0..<dimensions { row[d] += t * bases[cluster][axis][d] }
            }
            for d in 0..<dimensions { row[d] += 0.25 * gaussian() }
            embeddings.append(row.map(Float.init))
            scores.append(row[0] * 0.3 + gaussian())
            texts.append("cluster\(cluster) context \(i)")
        }
        input = LayoutInput(texts: texts, scores: scores, embeddings: embeddings)
    }
}
