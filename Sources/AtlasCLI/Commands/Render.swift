import ArgumentParser
import Foundation
import Encode
import Pipeline

extension Atlas {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render one latent (or every latent in a bulk export) to an atlas image and a manifest.",
            discussion: """
            Writes <output>/<latent>.png (and the other formats the style lists) plus <latent>.json, a manifest of \
            every context's id, score, position and radius. Files are written atomically.
            """)

        @Argument(help: "Input: a LatentAtlas .jsonl, a Neuronpedia feature .json or a Neuronpedia bulk-export .jsonl.")
        var input: String

        @OptionGroup var styleOptions: StyleOptions

        @Option(name: [.short, .long], help: "Folder to write into (created if missing).")
        var output: String = "Output"

        @Option(name: .long, help: "Render only the latent with this name when the input holds several.")
        var latent: String?

        @Option(name: .long, help: "Formats to write, comma-separated: png, pdf, svg, tiff (default: the style's output.formats).")
        var format: String?

        @Flag(name: .long, help: "Also write each layer alone as <latent>.<layer>.png.")
        var layers = false

        @Option(name: .customLong("save-steps"), help: "Write every N-th denoising step (decoded) as <latent>.step-NNN.png.")
        var saveSteps: Int?

        @Option(name: [.customShort("j"), .long], help: "Threads to use (default: all cores). The output does not depend on it.")
        var threads: Int?

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            if input.isEmpty { throw ValidationError("Missing input file: give a .jsonl or .json path.") }
            _ = try formats()
            if let t = threads, t < 1 { throw ValidationError("--threads \(t) must be at least 1.") }
            if let n = saveSteps, n < 1 { throw ValidationError("--save-steps \(n) must be at least 1.") }
        }

        func formats() throws -> [OutputFormat]? {
            guard let format else { return nil }
            return try format.split(separator: ",").map { name in
                guard let f = OutputFormat(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw ValidationError("--format '\(name)' is not a format; expected \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")) (comma-separated).")
                }
                return f
            }
        }

        func run() throws {
            let progress = Progress()
            do {
                let style = try styleOptions.load()
                let request = RenderRequest(input: input, style: style, overrides: styleOptions.allOverrides,
                                            outputDirectory: output, latent: latent, formats: try formats(),
                                            layerFiles: layers ? true : nil, saveSteps: saveSteps, threads: threads)
                let results = try Renderer.render(request, progress: progress.callAsFunction)
                progress.finish()
                for r in results {
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
