import ArgumentParser
import AtlasCore
import Compare
import Foundation
import Graphics

extension Atlas {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two PNGs: differing pixels (pixelmatch), max channel difference, PSNR, SSIM, ΔE2000.",
            discussion: "Exit status: 0 within the tolerance, 1 outside it, 2 when an image cannot be read.")

        @Argument(help: "The image under test.") var a: String
        @Argument(help: "The reference (golden) image.") var b: String

        @Option(name: .customLong("diff-out"), help: "Write a difference image here (changes in red, anti-aliasing in yellow, over a faded A).")
        var diffOut: String?

        @Flag(help: "Print every metric as JSON.") var json = false

        @Flag(name: .shortAndLong, help: "Print nothing but errors: the exit status tells the result.") var quiet = false

        @Option(name: .customLong("max-pixels"), help: "Refuse an image whose header declares more pixels than this, before reading it (default 16384×16384).")
        var maxPixels: Int = PNGFile.defaultMaximumPixels

        @OptionGroup var toleranceOptions: ToleranceOptions

        func validate() throws {
            if json && quiet { throw ValidationError("--json and --quiet do not go together; pick one.") }
            if maxPixels < 1 { throw ValidationError("--max-pixels \(maxPixels) must be at least 1.") }
        }

        func run() throws {
            let tolerance: Tolerance
            let imageA: RGBAImage, imageB: RGBAImage
            do {
                tolerance = try toleranceOptions.resolve()
            } catch {
                throw fail(error)
            }
            do {
                let images = try PNGFile.read([a, b], maximumPixels: maxPixels)
                imageA = images[0].image
                imageB = images[1].image
            } catch {
                _ = fail(error)
                throw ExitCode(ExitStatus.unreadable)
            }
            let (report, difference) = ImageComparison.compareWithDiff(imageA, imageB, tolerance: tolerance)
            if let diffOut {
                do {
                    try AtomicFile.write(to: diffOut) { try PNGFile.write(difference, to: $0, options: PNGOptions(compressionLevel: 3)) }
                } catch {
                    throw fail(error)
                }
            }
            if quiet {
                // The exit status alone.
            } else if json {
                let e = JSONEncoder()
                e.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try e.encode(report), as: UTF8.self))
            } else {
                print(report.summary)
                for violation in report.violations(of: tolerance) { print(violation) }
            }
            if !report.passed { throw ExitCode(1) }
        }
    }
}
