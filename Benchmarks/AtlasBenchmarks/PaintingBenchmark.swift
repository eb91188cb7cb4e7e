import AtlasCore
import Decode
import Encode
import Foundation
import Graphics
import Pipeline
import Styles

/// `make bench ARGS="painting [style] [latent.jsonl …]"`: does the painting show the data?
/// Renders each latent (the bundled examples plus a generated 250-context WordPiece latent with
/// dense activations) and measures, on the painting layer and the finished image:
/// - painted share of each radial band of the disc, and just outside the ring (1.015–1.06 R);
/// - within-cluster share of region-colour variance (region colour: mean OKLab of its cell);
/// - share of highlight-coloured pixels (OKLab ΔE < 0.1 to the highlight colour) inside the
///   manifest's highlighted-word boxes, and the Spearman correlation, over the contexts with
///   highlighted words, of a context's highlight amount against its highlighted words' activation
///   (Σ weight × box area). The highlight amount is what the highlight changed: Σ over the cell of
///   the OKLab ΔE between this painting and the same render with `decode.highlight_strength: 0`.
///   Contexts without highlighted words that changed anyway are counted (`unlit-with-hl`);
/// - legibility: tesseract on a crop of each of the 10 largest cells; a crop counts when its
///   words best match its own prompt (Jaccard over words of 3+ letters) among all contexts;
/// - glued words: highlighted words longer than the longest word of their context's text.
enum PaintingBenchmark {
    static func run(arguments: [String]) {
        let styleName = arguments.first { !$0.hasSuffix(".jsonl") && !$0.hasSuffix(".json") } ?? "gallery"
        let work = NSTemporaryDirectory() + "atlas-painting-bench"
        try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        var inputs = arguments.filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".json") }
        if inputs.isEmpty {
            inputs = ["Examples/sea-light.jsonl", "Examples/clockwork.jsonl", "Examples/civic.jsonl",
                      "Examples/neuronpedia-12082.json", writeWordPieceLatent(to: work + "/wordpiece-flags.jsonl")]
        }
        let hasTesseract = FileManager.default.isExecutableFile(atPath: "/usr/bin/tesseract")
        print("style \(styleName); tesseract \(hasTesseract ? "found" : "missing (apt install tesseract-ocr)")")
        print("latent                       bands 0-¼ ¼-½ ½-¾ ¾-1   outside  cluster-share  hl-in-boxes  spearman  unlit-with-hl  legible  glued  render s")
        for input in inputs {
            do {
                let style = try StyleLibrary.standard().load(styleName)
                let start = Date()
                let results = try Renderer.render(RenderRequest(input: input, style: style, outputDirectory: work,
                                                                 formats: [.png], layerFiles: true))
                let seconds = -start.timeIntervalSinceNow
                let plainStyle = try StyleLibrary.standard().load(styleName, overrides: ["decode.highlight_strength=0", "layers=[painting]"])
                let plainDirectory = work + "/no-highlight"
                let plain = try Renderer.render(RenderRequest(input: input, style: plainStyle, outputDirectory: plainDirectory,
                                                              formats: [.png], layerFiles: false))
                for (result, unlit) in zip(results, plain) {
                    let m = try measure(result, unlit: unlit, style: style, tesseract: hasTesseract)
                    let name = result.latent.padding(toLength: 28, withPad: " ", startingAt: 0)
                    print("\(name) \(m.bands.map { format($0, 3) }.joined(separator: " "))  \(format(m.outside, 3))    \(format(m.clusterShare, 3))          \(format(m.inBoxes, 3))        \(format(m.spearman, 2))      \(m.unlitWithHighlight)              \(m.legible)/\(m.legibleOf)     \(m.glued)     \(format(seconds, 1))")
                }
            } catch {
                print("\(input): \(error)")
            }
        }
    }

    struct Figures {
        var bands: [Double]
        var outside: Double
        var clusterShare: Double
        var inBoxes: Double
        var spearman: Double
        var unlitWithHighlight: Int
        var legible: Int
        var legibleOf: Int
        var glued: Int
    }

    static func measure(_ result: RenderResult, unlit: RenderResult, style: Style, tesseract: Bool) throws -> Figures {
        let manifest = try Manifest.read(result.manifestPath)
        let base = (result.manifestPath as NSString).deletingPathExtension
        let layer = try PNGFile.read(base + ".painting.png").image
        let final = try PNGFile.read(base + ".png").image
        let w = layer.width, h = layer.height
        guard let disc = manifest.atlas else { throw CocoaError(.fileReadCorruptFile) }
        let center = SIMD2(disc.center[0], disc.center[1]), R = disc.radius
        let lab = oklab(layer)
        let unlitLab = oklab(try PNGFile.read((unlit.manifestPath as NSString).deletingPathExtension + ".png").image)
        let background = float(style.settings.palette.background.oklab)
        let highlight = float(style.settings.palette.highlight.oklab)

        // Coverage by radial band.
        var painted = [Double](repeating: 0, count: 5), total = [Double](repeating: 0, count: 5)
        for y in 0..<h {
            for x in 0..<w {
                let d = ((SIMD2(Double(x), Double(y)) + 0.5 - center) * (SIMD2(Double(x), Double(y)) + 0.5 - center)).sum().squareRoot() / R
                let band: Int
                if d < 1 { band = min(Int(d * 4), 3) } else if d >= 1.015 && d <= 1.06 { band = 4 } else { continue }
                total[band] += 1
                if distance(lab[y * w + x], background) > 0.02 { painted[band] += 1 }
            }
        }
        let shares = (0..<5).map { total[$0] > 0 ? painted[$0] / total[$0] : 0 }

        // Cells, recomputed from the manifest exactly as the decoder does.
        let contexts = manifest.contexts
        let centers = contexts.map { SIMD2($0.centerPx![0], $0.centerPx![1]) }
        let diagram = PowerDiagram.balanced(centers: centers, radii: contexts.map { $0.radiusPx! }, discCenter: center,
                                            discRadius: R, seam: style.settings.decode.seam * R,
                                            threads: ProcessInfo.processInfo.activeProcessorCount)
        let cells = diagram.cells(in: PixelRect(x: 0, y: 0, width: w, height: h))
        var sums = [SIMD3<Double>](repeating: .zero, count: contexts.count), counts = [Double](repeating: 0, count: contexts.count)
        var amount = [Double](repeating: 0, count: contexts.count)
        var boxes: [[Double]] = []
        for c in contexts { for word in c.highlighted ?? [] { boxes += word.boxes } }
        var highlightPixels = 0.0, highlightInside = 0.0
        for i in 0..<(w * h) where cells.owner[i] >= 0 && cells.rim[i] > 1 {
            let o = Int(cells.owner[i])
            let p = lab[i]
            sums[o] += SIMD3(Double(p.x), Double(p.y), Double(p.z))
            counts[o] += 1
            let e = distance(p, highlight)
            amount[o] += Double(distance(p, unlitLab[i]))
            if e < 0.1 {
                highlightPixels += 1
                let x = Double(i % w) + 0.5, y = Double(i / w) + 0.5
                if boxes.contains(where: { x >= $0[0] && x <= $0[0] + $0[2] && y >= $0[1] && y <= $0[1] + $0[3] }) { highlightInside += 1 }
            }
        }
        let colours = contexts.indices.map { counts[$0] > 0 ? sums[$0] / counts[$0] : .zero }
        let valid = contexts.indices.filter { counts[$0] > 0 }
        let mean = valid.map { colours[$0] }.reduce(.zero, +) / Double(max(valid.count, 1))
        let totalVariance = valid.map { ((colours[$0] - mean) * (colours[$0] - mean)).sum() }.reduce(0, +)
        var within = 0.0
        for cluster in Set(valid.map { contexts[$0].cluster ?? 0 }) {
            let members = valid.filter { (contexts[$0].cluster ?? 0) == cluster }
            let m = members.map { colours[$0] }.reduce(.zero, +) / Double(members.count)
            within += members.map { ((colours[$0] - m) * (colours[$0] - m)).sum() }.reduce(0, +)
        }
        let activation = contexts.map { c in (c.highlighted ?? []).map { word in word.weight * word.boxes.map { $0[2] * $0[3] }.reduce(0, +) }.reduce(0, +) }
        // Over the contexts that have highlighted words; the others must carry none at all.
        let lit = valid.filter { activation[$0] > 0 }
        let leaks = valid.filter { activation[$0] == 0 && amount[$0] > 0.001 * counts[$0] }.count

        // Legibility of the 10 largest cells.
        var legible = 0
        let largest = valid.sorted { counts[$0] > counts[$1] }.prefix(10)
        if tesseract {
            let vocabularies = contexts.map { words(plain($0.markedText)) }
            for r in largest {
                let poly = diagram.polygon(r)
                let x0 = max(Int(poly.map(\.x).min()!), 0), x1 = min(Int(poly.map(\.x).max()!) + 1, w)
                let y0 = max(Int(poly.map(\.y).min()!), 0), y1 = min(Int(poly.map(\.y).max()!) + 1, h)
                let crop = base + ".crop.png"
                try writeCrop(final, x0: x0, y0: y0, x1: x1, y1: y1, to: crop)
                let read = words(ocr(crop))
                let scores = vocabularies.map { v -> Double in
                    let union = v.union(read).count
                    return union > 0 ? Double(v.intersection(read).count) / Double(union) : 0
                }
                let best = scores.max() ?? 0
                let winners = Set(scores.indices.filter { scores[$0] == best }.map { plain(contexts[$0].markedText) })
                if best > 0, winners == [plain(contexts[r].markedText)] { legible += 1 }
            }
        }

        // Glued words: a highlighted "word" longer than any word of the text.
        var glued = 0
        for c in contexts {
            let longest = plain(c.markedText).split(separator: " ").map(\.count).max() ?? 0
            for run in marked(c.markedText) { for word in run.split(separator: " ") where word.count > longest { glued += 1 } }
        }
        return Figures(bands: Array(shares[0..<4]), outside: shares[4], clusterShare: totalVariance > 0 ? within / totalVariance : 0,
                       inBoxes: highlightPixels > 0 ? highlightInside / highlightPixels : 1,
                       spearman: spearman(lit.map { amount[$0] }, lit.map { activation[$0] }), unlitWithHighlight: leaks, legible: legible, legibleOf: largest.count, glued: glued)
    }

    // MARK: Helpers

    static func oklab(_ image: RGBAImage) -> [SIMD3<Float>] {
        let linear = (0..<256).map { Float(ColorSpace.srgbToLinear(Double($0) / 255)) }
        var out = [SIMD3<Float>](repeating: .zero, count: image.width * image.height)
        image.pixels.withUnsafeBufferPointer { p in
            for i in out.indices {
                let c = SIMD3(Double(linear[Int(p[i * 4])]), Double(linear[Int(p[i * 4 + 1])]), Double(linear[Int(p[i * 4 + 2])]))
                out[i] = float(ColorSpace.linearToOKLab(c))
            }
        }
        return out
    }

    static func float(_ v: SIMD3<Double>) -> SIMD3<Float> { SIMD3(Float(v.x), Float(v.y), Float(v.z)) }

    static func distance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { ((a - b) * (a - b)).sum().squareRoot() }

    static func plain(_ marked: String) -> String { marked.replacingOccurrences(of: "{{", with: "").replacingOccurrences(of: "}}", with: "") }

    /// The `{{…}}` runs of a marked text.
    static func marked(_ text: String) -> [String] {
        var runs: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
            runs.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return runs
    }

    static func words(_ text: String) -> Set<String> {
        Set(text.lowercased().split { !$0.isLetter }.map(String.init).filter { $0.count >= 3 })
    }

    static func ocr(_ path: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tesseract")
        process.arguments = [path, "stdout", "--psm", "6"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func writeCrop(_ image: RGBAImage, x0: Int, y0: Int, x1: Int, y1: Int, to path: String) throws {
        let cw = x1 - x0, ch = y1 - y0
        var rgb = [UInt8](repeating: 0, count: cw * ch * 3)
        for y in 0..<ch {
            for x in 0..<cw {
                let s = ((y0 + y) * image.width + x0 + x) * 4, d = (y * cw + x) * 3
                rgb[d] = image.pixels[s]; rgb[d + 1] = image.pixels[s + 1]; rgb[d + 2] = image.pixels[s + 2]
            }
        }
        let writer = try PNGWriter(path: path, width: cw, height: ch, channels: 3, options: PNGOptions(compressionLevel: 1))
        try rgb.withUnsafeBytes { try writer.write(rows: $0.baseAddress!, count: ch, stride: cw * 3) }
        try writer.finish()
    }

    static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        func ranks(_ v: [Double]) -> [Double] {
            let order = v.indices.sorted { v[$0] < v[$1] }
            var r = [Double](repeating: 0, count: v.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
                for k in i...j { r[order[k]] = Double(i + j) / 2 }
                i = j + 1
            }
            return r
        }
        let ra = ranks(a), rb = ranks(b)
        let ma = ra.reduce(0, +) / Double(ra.count), mb = rb.reduce(0, +) / Double(rb.count)
        var num = 0.0, da = 0.0, db = 0.0
        for i in ra.indices {
            num += (ra[i] - ma) * (rb[i] - mb); da += (ra[i] - ma) * (ra[i] - ma); db += (rb[i] - mb) * (rb[i] - mb)
        }
        return da > 0 && db > 0 ? num / (da * db).squareRoot() : 0
    }

    /// A 250-context latent about flags with WordPiece tokens and dense activations (every token
    /// somewhat active): a third of its contexts have no `##` piece at all, the case that once glued
    /// every token of a context into one word.
    static func writeWordPieceLatent(to path: String) -> String {
        let subjects = ["a giant polish flag", "a row of national flags", "a red flag with hammer and sickle", "a paper boat",
                        "the union jack", "a stars and stripes banner", "a pirate flag", "a prayer flag string",
                        "a signal flag", "an olympic flag", "a faded flag", "a flag on the moon"]
        let places = ["unfurled across a stadium", "outside an international summit", "over a harbour", "on a windy hill",
                      "in a school parade", "above a castle", "on a fishing boat", "at a border crossing"]
        let styles = ["oil painting", "watercolor", "35mm photo", "poster art", "linocut", "digital art"]
        var random = SplitMix(seed: 12082)
        var lines = [#"{"latent": {"name": "wordpiece-flags", "title": "Flags and banners", "model": "bert-base", "layer": "8", "index": "311"}}"#]
        for i in 0..<250 {
            let text = [subjects[random.next(subjects.count)], places[random.next(places.count)], styles[random.next(styles.count)]]
                .joined(separator: ", ").replacingOccurrences(of: ",", with: " ,")
            var tokens = ["[CLS]"], activations = [0.0]
            let plainWords = i % 3 == 0
            for word in text.split(separator: " ") {
                let w = String(word)
                let strong = ["flag", "flags", "banner", "jack", "stripes", "sickle", "hammer"].contains(w)
                let level = strong ? 6 + Double(random.next(40)) / 10 : 0.4 + Double(random.next(8)) / 10
                if !plainWords && w.count > 6 {
                    tokens += [String(w.prefix(4)), "##" + w.dropFirst(4)]
                    activations += [level, level * 0.8]
                } else {
                    tokens.append(w)
                    activations.append(level)
                }
            }
            let score = 0.2 + 0.3 * Double(250 - i) / 250
            let tokenList = tokens.map { "\"\($0)\"" }.joined(separator: ", ")
            let activationList = activations.map { String(format: "%.3f", $0) }.joined(separator: ", ")
            lines.append(#"{"id": "flags-\#(String(format: "%04d", i))", "text": "\#(text.replacingOccurrences(of: " ,", with: ","))", "score": \#(String(format: "%.4f", score)), "tokens": [\#(tokenList)], "activations": [\#(activationList)]}"#)
        }
        try? lines.joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }
}
