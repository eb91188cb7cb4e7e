import ArgumentParser
import Foundation
import Pipeline

extension Atlas {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render one latent (or every latent in a bulk export) to an atlas image and a manifest.",
            discussion: """
            Writes <output>/<latent>.png (and the other formats the style lists) plus <latent>.json, a manifest of
            every context's id, score, position and radius. Files are written atomically.
            """)

        @Argument(help: "Input: a LatentAtlas .jsonl, a Neuronpedia feature .json or a Neuronpedia bulk-export .jsonl.")
        var input: String

        @OptionGroup var styleOptions: StyleOptions

        @Option(name: [.short, .long], help: "Folder to write into (created if missing).")
        var output: String = "Output"

        @Option(name: .long, help: "Render only the latent with this name when the input holds several.")
        var latent: String?

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            if input.isEmpty { throw ValidationError("Missing input file: give a .jsonl or .json path.") }
        }

        func run() throws {
            let progress = Progress()
            do {
                let style = try styleOptions.load()
                let request = RenderRequest(input: input, style: style, overrides: styleOptions.allOverrides,
                                            outputDirectory: output, latent: latent)
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
