import ArgumentParser
import AtlasCore
import Composite
import Foundation
import Encode
import Pipeline
import Plan

extension Atlas {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render one latent (or every latent in a bulk export) to an atlas image and a manifest.",
            discussion: """
            Writes <output>/<name>.png (and the other formats the style lists) plus <name>.json, a manifest of \
            every context's id, score, position and radius. <name> is the latent's name made file-name safe \
            (see the README, Output names). Files are written atomically.

            Two latents side by side: atlas render A B --composition pair prints both atlases on one sheet with one \
            score scale and one legend, as <A>+<B>.png (and the other formats), with <A>+<B>.left.json and \
            <A>+<B>.right.json (and .html pages that link each other and ring the contexts present in both).

            A render that cannot fit its memory budget (--memory, else the style's output.memory_budget_mb) is \
            refused before anything is read, with its estimate.
            """)

        @Argument(help: "Input: LatentAtlas contexts JSONL, a Neuronpedia feature JSON, Neuronpedia activation rows (an export's activations/batch-N.jsonl.gz), an SAEDashboard batch JSON (any gzip), or a Neuronpedia export folder. Two inputs with --composition pair.")
        var inputs: [String] = []

        @Option(name: .long, help: ArgumentHelp("single, diptych (the heatmap panel beside the atlas) or pair (two inputs side by side); default: the style's composition.", valueName: "kind"))
        var composition: String?

        @OptionGroup var styleOptions: StyleOptions

        @Option(name: [.short, .long], help: "Folder to write into (created if missing).")
        var output: String = "Output"

        @Option(name: .long, help: "Render only the latent with this name (or output name) when the input holds several.")
        var latent: String?

        @Option(name: .long, help: "Formats to write, comma-separated: png, pdf, svg, html, tiff (default: the style's output.formats).")
        var format: String?

        @Flag(name: .long, help: "Also write each layer alone as <name>.<layer>.png.")
        var layers = false

        @Option(name: .customLong("save-steps"), help: "Write every N-th denoising step (decoded) as <name>.step-NNN.png.")
        var saveSteps: Int?

        @Option(name: .long, help: "Threads to use (default: all cores). The output does not depend on it.")
        var threads: Int?

        @Option(name: .long, help: ArgumentHelp("Memory this render may use, e.g. 2G (default: the style's output.memory_budget_mb).", valueName: "size"),
                transform: MemoryOption.parse)
        var memory: UInt64?

        /// `-j` is `batch`'s "renders at once"; here it only explains that.
        @Option(name: .customShort("j"), help: .hidden)
        var jobs: String?

        @Option(name: .customLong("export-plan"), help: ArgumentHelp("Write each latent's region plan (plan.json, masks, prompts) into <dir>/<latent>/ for an outside painter, instead of rendering.", valueName: "dir"))
        var exportPlan: String?

        @Option(name: .long, help: ArgumentHelp("Composite this outside painting of the plan (a .png, or a folder of <latent>.png or <latent>/painting.png) in place of the built-in decoder.", valueName: "file|dir"))
        var painting: String?

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        @Flag(name: .shortAndLong, help: "Also say which input format was detected.")
        var verbose = false

        var input: String { inputs.first ?? "" }

        /// The composition asked for on the command line, checked.
        func chosenComposition() throws -> Composition? {
            guard let composition else { return nil }
            guard let c = Composition(rawValue: composition.lowercased()) else {
                let allowed = Composition.allCases.map(\.rawValue)
                let hint = Suggestion.nearest(to: composition.lowercased(), in: allowed).map { "; did you mean '\($0)'?" } ?? "."
                throw ValidationError("--composition '\(composition)' is not a composition; expected one of \(allowed.joined(separator: ", "))\(hint)")
            }
            return c
        }

        func validate() throws {
            if input.isEmpty { throw ValidationError("Missing input file: give a .jsonl or .json path.") }
            let pair = try chosenComposition() == .pair
            if pair && inputs.count != 2 { throw ValidationError(PairError.inputs(count: inputs.count).description) }
            if !pair && inputs.count > 1 {
                throw ValidationError("atlas render takes one input, or two with --composition pair (both atlases side by side on one sheet); got \(inputs.count): \(inputs.joined(separator: ", ")).")
            }
            if pair {
                for (flag, given) in [("--latent", latent != nil), ("--export-plan", exportPlan != nil), ("--painting", painting != nil), ("--save-steps", saveSteps != nil)] where given {
                    throw ValidationError("\(flag) does not apply to --composition pair; render each latent alone for it.")
                }
            }
            if jobs != nil { throw ValidationError("-j is 'atlas batch's renders at once; for threads use --threads N.") }
            _ = try formats()
            if let t = threads, t < 1 { throw ValidationError("--threads \(t) is out of range; expected 1 or more.") }
            if let n = saveSteps, n < 1 { throw ValidationError("--save-steps \(n) is out of range; expected 1 or more.") }
            if exportPlan != nil && painting != nil { throw ValidationError("--export-plan writes the plan a painting is made from; leave out --painting.") }
            if let p = painting, !FileManager.default.fileExists(atPath: p) { throw ValidationError("--painting \(p) does not exist; give a .png or a folder of paintings.") }
        }

        func formats() throws -> [OutputFormat]? {
            guard let format else { return nil }
            let names = format.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let allowed = OutputFormat.allCases.map(\.rawValue)
            if names.allSatisfy(\.isEmpty) {
                throw ValidationError("--format '\(format)' names no format; expected \(allowed.joined(separator: ", ")) (comma-separated).")
            }
            return try names.map { name in
                guard let f = OutputFormat(rawValue: name) else {
                    let hint = Suggestion.nearest(to: name, in: allowed).map { "; did you mean '\($0)'?" } ?? "."
                    throw ValidationError("--format '\(name)' is not a format; expected one of \(allowed.joined(separator: ", "))\(hint)")
                }
                return f
            }
        }

        func run() throws {
            let progress = Progress(quiet: quiet)
            do {
                let chosen = try chosenComposition()
                var style = try styleOptions.library().load(styleOptions.style, overrides: styleOptions.allOverrides + (chosen.map { ["composition=\($0.rawValue)"] } ?? []))
                if inputs.count == 1, style.settings.composition == .pair { throw UsageError(PairError.inputs(count: 1).description) }
                if inputs.count == 2 {
                    style.settings.composition = .pair
                    var request = RenderRequest(input: inputs[0], style: style, overrides: styleOptions.allOverrides,
                                                outputDirectory: output, formats: try formats(), layerFiles: layers ? true : nil, threads: threads)
                    request.memoryBudget = memory
                    try FileError.checkFolderCanBeMade(output)
                    let r = try PairRenderer.render(request, right: inputs[1], progress: progress.callAsFunction)
                    progress.finish()
                    if verbose && !quiet { print("read \(inputs.joined(separator: " and ")) as \(r.format): latents \(r.latent)") }
                    if !r.warnings.isEmpty && !quiet {
                        for w in r.warnings { warn(w) }
                        warn("\(r.warnings.count) warning(s) in \(inputs.joined(separator: ", "))")
                    }
                    if !quiet { print("wrote \(r.files.joined(separator: ", ")) (\(r.width)×\(r.height))") }
                    return
                }
                var request = RenderRequest(input: input, style: style, overrides: styleOptions.allOverrides,
                                            outputDirectory: output, latent: latent, formats: try formats(),
                                            layerFiles: layers ? true : nil, saveSteps: saveSteps, threads: threads)
                request.exportPlan = exportPlan
                request.painting = painting.map(PaintingInput.init(path:))
                request.memoryBudget = memory
                // Refuse what cannot fit, and an output folder that cannot be made, before any work.
                _ = try Renderer.memory(request)
                try FileError.checkFolderCanBeMade(output)
                let results = try Renderer.render(request, progress: progress.callAsFunction)
                progress.finish()
                for r in results {
                    if verbose && !quiet { print("read \(input) as \(r.format): latent \(r.latent)") }
                    if !r.warnings.isEmpty && !quiet {
                        for w in r.warnings { warn(w) }
                        warn("\(r.warnings.count) warning(s) in \(input)")
                    }
                    if !quiet {
                        print("wrote \(r.files.joined(separator: ", ")) (\(r.width)×\(r.height))")
                    }
                }
            } catch {
                progress.finish()
                throw fail(error)
            }
        }
    }
}
