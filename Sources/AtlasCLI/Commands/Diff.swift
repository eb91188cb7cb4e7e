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

        @Option(name: .long, help: "Threads to use (default: all cores). The report and the difference image do not depend on it.")
        var threads: Int?

        @OptionGroup var toleranceOptions: ToleranceOptions

        func validate() throws {
            if json && quiet { throw ValidationError("--json and --quiet do not go together; pick one.") }
            if maxPixels < 1 { throw ValidationError("--max-pixels \(maxPixels) must be at least 1.") }
            if let t = threads, t < 1 { throw ValidationError("--threads \(t) is out of range; expected 1 or more.") }
        }

        func run() throws {
            let tolerance: Tolerance
            do {
                tolerance = try toleranceOptions.resolve()
            } catch {
                throw fail(error)
            }
            let threads = threads ?? Parallel.allCores
            // Both files are read band by band as they are compared: memory stays at a few bands.
            let report: ComparisonReport
            do {
                report = try ImageComparison.compare(files: a, b, tolerance: tolerance, maximumPixels: maxPixels, threads: threads)
            } catch {
                _ = fail(error)
                throw ExitCode(ExitStatus.unreadable)
            }
            if let diffOut {
                do {
                    try AtomicFile.write(to: diffOut) {
                        try ImageComparison.writeDifference(files: a, b, tolerance: tolerance, report: report, to: $0,
                                                            maximumPixels: maxPixels, threads: threads)
                    }
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
