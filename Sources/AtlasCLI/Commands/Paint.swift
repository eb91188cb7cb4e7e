import ArgumentParser
import Foundation
import Pipeline
import Plan
import Styles

extension Atlas {
    struct Paint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Paint a region plan (from 'atlas render --export-plan') with the built-in decoder.",
            discussion: """
            Writes a painting of the plan's canvas size that records the plan's fingerprint, for \
            'atlas render --painting'. An outside painter (Examples/diffusers/paint_plan.py) writes the same kind of file. \
            Regions are conditioned on their text, as a diffusion model is on its prompt.
            """)

        @Argument(help: "A plan.json, or the folder holding it.")
        var plan: String

        @Option(name: .long, help: "Style whose decoder and palette paint (default: the style the plan was exported with).")
        var style: String?

        @Option(name: .customLong("set"), help: ArgumentHelp("Override one style key (repeatable).", valueName: "key.path=value"))
        var overrides: [String] = []

        @Option(name: .customLong("styles-dir"), help: "Extra folder to search for style presets (searched first).")
        var stylesDirectory: String?

        @Option(name: [.short, .long], help: "Where to write the painting (default: painting.png beside the plan).")
        var output: String?

        @Option(name: [.customShort("j"), .long], help: "Threads to use (default: all cores). The output does not depend on it.")
        var threads: Int?

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            if plan.isEmpty { throw ValidationError("Missing plan: give a plan.json or its folder.") }
            if let t = threads, t < 1 { throw ValidationError("--threads \(t) must be at least 1.") }
        }

        func run() throws {
            do {
                let regionPlan = try PlanFiles.read(plan)
                var library = StyleLibrary.standard()
                if let d = stylesDirectory { library.directories.insert(d, at: 0) }
                let loaded = try library.load(style ?? regionPlan.style.name, overrides: overrides)
                let folder = plan.hasSuffix(".json") ? (plan as NSString).deletingLastPathComponent : plan
                let path = output ?? (folder as NSString).appendingPathComponent("painting.png")
                try PlanPainter.paint(regionPlan, style: loaded, to: path, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
                if !quiet { print("wrote \(path) (\(regionPlan.canvas.width)×\(regionPlan.canvas.height), plan \(regionPlan.fingerprint))") }
            } catch {
                throw fail(error)
            }
        }
    }
}
