import ArgumentParser
import AtlasCore
import Browser
import Compare
import Foundation
import Graphics
import Encode
import Styles

extension Atlas {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare every render in a folder with its golden image; --update approves the new renders.",
            discussion: """
            Each <goldens>/<name>.png is compared with <outputs>/<name>.png. Tolerances come from the flags, else from
            <goldens>/tolerance.yaml, else the defaults. Failures get reference/actual/difference images and an HTML
            report in --report. Exit status: 0 when all match, 1 otherwise.
            """)

        @Argument(help: "Folder of new renders (PNG).") var outputs: String
        @Option(name: .long, help: "Folder of golden images.") var goldens: String
        @Option(name: .long, help: "Folder for the failure report (default: <outputs>/verify-report).") var report: String?
        @Flag(help: "Replace goldens with the new renders where they differ or are missing, listing what changed.")
        var update = false
        @OptionGroup var toleranceOptions: ToleranceOptions
        @Flag(name: .shortAndLong, help: "Print nothing but the failures (on stderr).")
        var quiet = false

        struct Row {
            var name: String
            var status: String
            var report: ComparisonReport?
        }

        func run() throws {
            do {
                try verify()
            } catch let e as ExitCode {
                throw e
            } catch {
                throw fail(error)
            }
        }

        func verify() throws {
            let fm = FileManager.default
            let toleranceFile = (goldens as NSString).appendingPathComponent(ToleranceFile.fileName)
            let tolerance = try toleranceOptions.resolve(fallbackFile: fm.fileExists(atPath: toleranceFile) ? toleranceFile : nil)
            let pngs = { (dir: String) in Set(((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".png") }) }
            guard fm.fileExists(atPath: outputs) else { throw ValidationError("The outputs folder '\(outputs)' does not exist.") }
            let golden = pngs(goldens), rendered = pngs(outputs)
            let reportDir = report ?? (outputs as NSString).appendingPathComponent("verify-report")
            var rows: [Row] = []
            var failures: [(name: String, message: String)] = []
            for name in golden.union(rendered).sorted() {
                let g = (goldens as NSString).appendingPathComponent(name), o = (outputs as NSString).appendingPathComponent(name)
                guard rendered.contains(name) else {
                    rows.append(Row(name: name, status: "MISSING", report: nil))
                    failures.append((name, "no render for this golden"))
                    continue
                }
                guard golden.contains(name) else {
                    rows.append(Row(name: name, status: update ? "ADDED" : "NEW", report: nil))
                    if update { try copy(o, to: g) } else { failures.append((name, "no golden yet; run with --update to approve")) }
                    continue
                }
                let pair = try PNGFile.read([o, g])
                let a = pair[0].image, b = pair[1].image
                let r = ImageComparison.compare(a, b, tolerance: tolerance)
                if r.passed {
                    rows.append(Row(name: name, status: "ok", report: r))
                } else if update {
                    try copy(o, to: g)
                    rows.append(Row(name: name, status: "UPDATED", report: r))
                } else {
                    rows.append(Row(name: name, status: "FAIL", report: r))
                    let stem = Self.artifactFolder(for: name)
                    // The difference image is a second pass, made only for a failure.
                    let diff = ImageComparison.difference(a, b, tolerance: tolerance, report: r)
                    try FailureArtifacts.write(reference: b, failure: a, difference: diff, to: (reportDir as NSString).appendingPathComponent(stem))
                    failures.append((name, r.violations(of: tolerance).joined(separator: " ")))
                }
            }
            if !quiet { printTable(rows) }
            if !failures.isEmpty && !update {
                try writeHTML(failures: failures, to: reportDir)
                let line = "\(failures.count) of \(rows.count) failed; report: \((reportDir as NSString).appendingPathComponent("index.html"))"
                if quiet {
                    for f in failures { warn("\(f.name): \(f.message)") }
                    warn(line)
                } else {
                    print(line)
                }
                throw ExitCode(1)
            }
            let changed = rows.filter { ["UPDATED", "ADDED"].contains($0.status) }
            if update && !quiet { print(changed.isEmpty ? "No golden changed." : "Updated \(changed.count) golden(s): \(changed.map(\.name).joined(separator: ", "))") }
            if rows.contains(where: { $0.status == "MISSING" }) { throw ExitCode(1) }
        }

        /// The report subfolder for one image's reference/failure/difference PNGs: its name without
        /// `.png` when that is a plain name, else made safe (`OutputName`'s rule) and given a hash of the
        /// image name so distinct images keep distinct folders. Never empty, `.`, `..`, hidden or nested.
        static func artifactFolder(for image: String) -> String {
            let stem = image.hasSuffix(".png") ? String(image.dropLast(4)) : image
            let safe = (try? OutputName.stem(for: stem)) ?? "image"
            if safe == stem { return safe }
            let hash = StableHash.hex(StableHash.of(image)).prefix(8)
            return (safe.hasPrefix("latent-") && !stem.hasPrefix("latent-") ? "image" : safe) + "-" + hash
        }

        func copy(_ from: String, to: String) throws {
            try FileManager.default.createDirectory(atPath: goldens, withIntermediateDirectories: true)
            try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: from)), to: to)
        }

        func printTable(_ rows: [Row]) {
            let w = max(4, rows.map(\.name.count).max() ?? 0)
            func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
            print(pad("name", w) + "  " + pad("status", 8) + "  differing %   SSIM      PSNR dB   ΔE mean")
            for r in rows {
                var line = pad(r.name, w) + "  " + pad(r.status, 8)
                if let m = r.report, m.sizesMatch {
                    line += "  " + pad(String(format: "%.4f", m.differingShare * 100), 12) + "  " + pad(String(format: "%.5f", m.ssim), 8)
                        + "  " + pad(m.psnr.isFinite ? String(format: "%.2f", m.psnr) : "inf", 8) + "  " + String(format: "%.3f", m.deltaE.mean)
                } else if let m = r.report {
                    line += "  size \(m.width)×\(m.height) vs \(m.otherWidth)×\(m.otherHeight)"
                }
                print(line)
            }
        }

        func writeHTML(failures: [(name: String, message: String)], to dir: String) throws {
            let report = VerifyReport(failures: failures.map { f in
                let folder = Self.artifactFolder(for: f.name)
                let exists = FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(folder))
                return VerifyReport.Failure(name: f.name, message: f.message, folder: exists ? folder : nil)
            })
            try AtomicFile.write(Data(report.html().utf8), to: (dir as NSString).appendingPathComponent("index.html"))
        }
    }
}
