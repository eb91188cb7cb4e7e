import ArgumentParser
import AtlasCore
import Foundation
import Select

extension Atlas {
    struct SelectCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "select",
            abstract: "Score every row of an embedding matrix against a direction and keep the top K as a latent's contexts.",
            discussion: """
            Cosine similarity of each row of --embeddings with --direction, in one parallel pass over the mapped \
            file. Writes the top K (ties to the lower row) as a contexts .jsonl that 'atlas render' and 'atlas batch' \
            read, and a histogram of every score with the selected tail in the style's highlight colour.

            Embeddings: a 2-D .npy (versions 1-3; float16/32/64; either byte order; C or Fortran order), FILE.npz:NAME \
            (stored or deflated) or FILE.safetensors:NAME (F32, F16, BF16). Direction: a 1-D .npy, a matrix row \
            (sae_weights.safetensors:W_dec:12082, params.npz:W_dec:12082, W.npy:7) or an inline list [0.1, -0.2, ...]. \
            Texts: .jsonl (one object per row with 'text', optional 'id', and any context field the render reads) or \
            plain text, one line per row.
            """)

        @Option(name: .long, help: ArgumentHelp("The embedding matrix, one row per text.", valueName: "file[:name]"))
        var embeddings: String

        @Option(name: .long, help: ArgumentHelp("The texts, one per embedding row: .jsonl or plain text.", valueName: "file"))
        var texts: String

        @Option(name: .long, help: ArgumentHelp("The direction (repeatable: every direction is scored in the same pass).", valueName: "spec"))
        var direction: [String] = []

        @Option(name: .long, help: "Contexts to keep (default: the style's select.top, 250).")
        var top: Int?

        @Option(name: [.short, .long], help: ArgumentHelp("Where to write: a .jsonl file (one direction), or a folder for <name>.jsonl (default: the current folder).", valueName: "path"))
        var output: String?

        @Option(name: .long, help: ArgumentHelp("The histogram PNG (default: beside the output as <name>.histogram.png).", valueName: "file.png"))
        var histogram: String?

        @Flag(name: .customLong("no-histogram"), help: "Do not draw the histogram.")
        var noHistogram = false

        @Option(name: .long, help: "The latent's name (names the files; default: from the direction, e.g. sae_weights-w_dec-12082).")
        var name: String?

        @Option(name: .long, help: "The latent's title.")
        var title: String?

        @Option(name: .long, help: "The model (default: model_name of a SAELens cfg.json beside the direction file).")
        var model: String?

        @Option(name: .long, help: "The layer (default: from a SAELens cfg.json or a Gemma Scope layer_N folder).")
        var layer: String?

        @Option(name: .long, help: "The latent's index (default: the direction's row).")
        var index: String?

        @OptionGroup var styleOptions: StyleOptions

        @Option(name: [.customShort("j"), .long], help: "Threads to use (default: all cores). The output does not depend on it.")
        var threads: Int?

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        var outputIsFile: Bool { output.map { ["jsonl", "ndjson"].contains(($0 as NSString).pathExtension.lowercased()) } ?? false }

        func validate() throws {
            if direction.isEmpty { throw ValidationError("Missing --direction: give a .npy, FILE:TENSOR:ROW or an inline list.") }
            if let t = top, t < 1 { throw ValidationError("--top \(t) must be at least 1.") }
            if let t = threads, t < 1 { throw ValidationError("--threads \(t) must be at least 1.") }
            if histogram != nil && noHistogram { throw ValidationError("--histogram and --no-histogram contradict each other; give one.") }
            if let h = histogram, (h as NSString).pathExtension.lowercased() != "png" { throw ValidationError("--histogram '\(h)' must name a .png file.") }
            if direction.count > 1 {
                if outputIsFile { throw ValidationError("-o '\(output!)' names one file but there are \(direction.count) directions; give a folder.") }
                for (flag, value) in [("--histogram", histogram), ("--name", name), ("--title", title), ("--index", index)] where value != nil {
                    throw ValidationError("\(flag) names one latent but there are \(direction.count) directions; use a batch manifest to name each.")
                }
            }
        }

        func run() throws {
            do {
                let style = try styleOptions.load()
                var settings = style.settings.select
                if let top { settings.top = top }
                let targets = direction.map { spec in
                    Selection.Target(direction: spec, name: name, title: title, model: model, layer: layer, index: index,
                                     output: outputIsFile ? output : nil, histogram: noHistogram ? "" : histogram)
                }
                let selection = Selection(embeddings: embeddings, texts: texts, targets: targets, settings: settings,
                                          palette: style.settings.palette, family: style.settings.typography.family,
                                          outputFolder: outputIsFile ? "." : (output ?? "."), threads: threads ?? Parallel.allCores)
                var timings = Selection.Timings()
                let started = Date()
                var scanLine = ""
                let outcomes = try selection.run(timings: &timings) { scan, matrix in
                    let bytes = Double(matrix.byteCount)
                    let gb = bytes >= 1e9 ? String(format: "%.2f GB", bytes / 1e9) : String(format: "%.1f MB", bytes / 1e6)
                    scanLine = "\(matrix.name): \(scan.rows) rows × \(scan.dimension) (\(matrix.element), \(gb)) scanned in \(String(format: "%.3f", scan.seconds)) s"
                    if !quiet {
                        if scan.nonFiniteRows > 0 { warn("warning: \(matrix.name): \(scan.nonFiniteRows) row(s) with NaN or infinite values were skipped") }
                        if scan.zeroRows > 0 { warn("warning: \(matrix.name): \(scan.zeroRows) all-zero row(s) were skipped (no cosine)") }
                    }
                }
                guard !quiet else { return }
                warn(scanLine)
                for o in outcomes {
                    let r = o.record
                    if !o.ignoredFields.isEmpty {
                        warn("note: \(texts): field(s) \(o.ignoredFields.map { "'\($0)'" }.joined(separator: ", ")) are not context fields and were left out")
                    }
                    let files = [o.output] + (o.histogram.map { [$0] } ?? [])
                    warn("\(o.name): rows \(r.rows - r.skippedRows), dimension \(r.dimension), mean \(f(r.mean)), σ \(f(r.std)), threshold \(f(r.threshold)) (z \(String(format: "%.2f", r.thresholdZ))), top score \(f(r.topScore)); wrote \(files.joined(separator: ", "))")
                }
                warn(String(format: "done in %.3f s (open %.3f, scan %.3f, write %.3f, histogram %.3f)",
                            Date().timeIntervalSince(started), timings.open, timings.scan, timings.write, timings.histogram))
            } catch {
                throw fail(error)
            }
        }

        func f(_ v: Double) -> String { String(format: "%.4f", v) }
    }
}
