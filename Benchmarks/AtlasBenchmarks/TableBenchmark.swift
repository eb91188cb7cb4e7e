import AtlasCore
import Foundation
import Graphics

/// Issue 16's table from one run: each workload as a whole `atlas` process (median of `--repeat`
/// runs, default 3) beside its peer measured in the same run, the PNG compression table that picks
/// the presets' levels, and the batch rate.
///
/// Peers: ImageMagick's `compare` (apt) and datamapplot/umap-learn in Benchmarks/.venv, all set up
/// by `make bench-venv`; a missing peer is reported, not skipped silently.
///
/// Arguments: `[--repeat N] [--skip exhibition,batch,...] [--batch-latents N]`.
enum TableBenchmark {
    static let atlas = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("atlas").path
    static var python: String? {
        let p = ProcessInfo.processInfo.environment["ATLAS_BENCH_PYTHON"] ?? "Benchmarks/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: p) ? p : nil
    }

    static func run(arguments: [String]) {
        setvbuf(stdout, nil, _IOLBF, 0)   // rows appear as they are measured, also into a file
        let repeats = BatchBenchmark.intOption("--repeat", in: arguments) ?? 3
        let skip = Set(BatchBenchmark.stringOptions("--skip", in: arguments).flatMap { $0.split(separator: ",").map(String.init) })
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-table-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard FileManager.default.isExecutableFile(atPath: atlas) else {
            print("table: no atlas binary at \(atlas); build it with `swift build -c release --product atlas`")
            return
        }
        print("table: whole processes, median of \(repeats), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        if !skip.contains("poster") { poster(dir, repeats) }
        if !skip.contains("png") { pngLevels(dir) }
        if !skip.contains("exhibition") { exhibition(dir, repeats) }
        if !skip.contains("diff") { diff(dir, repeats) }
        if !skip.contains("layout") { layout(dir, repeats) }
        if !skip.contains("batch") {
            print("== batch (posters per minute, CPU s per poster)")
            BatchBenchmark.run(arguments: ["--latents", String(BatchBenchmark.intOption("--batch-latents", in: arguments) ?? 100)])
        }
    }

    // MARK: rows

    static func poster(_ dir: String, _ repeats: Int) {
        print("== atlas render, 250 contexts, poster 2048², PNG")
        let out = dir + "/poster"
        let run = timeProcess(atlas, ["render", "Examples/clockwork.jsonl", "--style", "poster", "-o", out, "-q"], repeats)
        print("  atlas render: \(run.summary)")
        printStages(out + "/clockwork.json")
        guard let python else { print("  datamapplot: not installed (make bench-venv)"); return }
        let peer = capture(python, ["Benchmarks/peers/datamapplot_poster.py", out + "/clockwork.json", dir + "/dmp", "--repeat", String(repeats)])
        for line in peer.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let median = Double(parts[1]) else { print("  datamapplot: \(line)"); continue }
            print("  datamapplot in process, \(parts[0]) as labels: \(format(median)) s (runs \(parts.dropFirst(2).joined(separator: ", "))) → atlas/peer \(format(run.median / median, 2))×")
        }
        let fresh = timeProcess(python, ["Benchmarks/peers/datamapplot_poster.py", out + "/clockwork.json", dir + "/dmp1", "--repeat", "1"], 1)
        print("  datamapplot as a process (imports, warm-up and both cases once): \(format(fresh.median)) s")
    }

    /// Size against time for the painted poster raster at every level and filter, on all cores
    /// and on one: the table the presets' `output.compression` comes from.
    static func pngLevels(_ dir: String) {
        print("== PNG compression of the poster raster (2048², RGB 8-bit): size vs time")
        let path = dir + "/poster/clockwork.png"
        guard let image = try? PNGFile.read(path).image else { print("  (needs the poster row)"); return }
        var rgb = [UInt8](repeating: 0, count: image.width * image.height * 3)
        for p in 0..<(image.width * image.height) { for c in 0..<3 { rgb[p * 3 + c] = image.pixels[p * 4 + c] } }
        print("  level  filter     threads  seconds   MB")
        for level in [1, 2, 3, 4, 6, 9] {
            for filter in level == 3 || level == 6 ? PNGOptions.Filter.allCases : [.adaptive, .up] {
                for threads in level == 3 && filter == .adaptive ? [1, Parallel.allCores] : [Parallel.allCores] {
                    let file = dir + "/level.png"
                    let seconds = bestTime(repeats: 3) {
                        let w = try! PNGWriter(path: file, width: image.width, height: image.height, channels: 3,
                                               options: PNGOptions(compressionLevel: level, filter: filter, threads: threads))
                        rgb.withUnsafeBytes { try! w.write(rows: $0.baseAddress!, count: image.height, stride: image.width * 3) }
                        try! w.finish()
                    }
                    print("  \(level)      \(filter.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(threads)        \(format(seconds))    \(format(fileSizeMB(file), 2))")
                }
            }
        }
        let surface = try! Surface.image(image)
        let cairo = bestTime(repeats: 3) { try! surface.writeCairoPNG(to: dir + "/cairo.png") }
        print("  Cairo's own writer (zlib default, serial, RGBA): \(format(cairo)) s, \(format(fileSizeMB(dir + "/cairo.png"), 2)) MB")
    }

    static func exhibition(_ dir: String, _ repeats: Int) {
        print("== atlas render, exhibition 8192², 16-bit PNG + PDF")
        let out = dir + "/exhibition"
        let run = timeProcess(atlas, ["render", "Examples/clockwork.jsonl", "--style", "exhibition", "--format", "png,pdf", "-o", out, "-q"], repeats)
        print("  atlas render: \(run.summary)")
        printStages(out + "/clockwork.json")
        let tiff = timeProcess(atlas, ["render", "Examples/clockwork.jsonl", "--style", "exhibition", "--format", "tiff", "-o", out + "-tiff", "-q"], 1)
        print("  the same as a 16-bit Deflate TIFF alone: \(tiff.summary), \(format(fileSizeMB(out + "-tiff/clockwork.tiff"), 1)) MB")
    }

    /// The `atlas diff` row is the compare benchmark's process section (one definition of the pair).
    static func diff(_ dir: String, _ repeats: Int) {
        CompareBenchmark.processes(dir, repeats: repeats, large: false)
    }

    /// Our whole process (synthetic 3 000 × 384 data generated, laid out, exported as .npy) beside
    /// umap-learn on the same exported data, fresh process and in-process fit, and
    /// trustworthiness@10 (cosine, scikit-learn, all 3 000 rows) of both embeddings.
    static func layout(_ dir: String, _ repeats: Int) {
        print("== layout of 3 000 contexts with embeddings (plain UMAP)")
        let me = CommandLine.arguments[0]
        let run = timeProcess(me, ["layout", "--sizes", "3000", "--modes", "umap", "--trust-rows", "10", "--export", dir + "/layout"], repeats)
        print("  atlas layout (whole process, synthetic data generation and .npy export included): \(run.summary)")
        guard let python else { print("  umap-learn: not installed (make bench-venv)"); return }
        let peer = capture(python, ["Benchmarks/layout/compare_umap.py", dir + "/layout", "--sizes", "3000", "--fresh-runs", String(repeats)])
        // Rows: points, name (may contain spaces), seconds, trust@10, spearman.
        var rows: [(name: String, seconds: Double, trust: String)] = []
        for line in peer.split(separator: "\n") where line.contains("umap") {
            let fields = line.split(separator: " ")
            guard fields.count >= 5, let seconds = Double(fields[fields.count - 3]) else { continue }
            rows.append((fields[1..<(fields.count - 3)].joined(separator: " "), seconds, String(fields[fields.count - 2])))
        }
        guard !rows.isEmpty else { print("  umap-learn: no result (\(peer.split(separator: "\n").last ?? "no output"))"); return }
        for row in rows where row.name.hasPrefix("umap-learn") {
            print("  \(row.name): \(format(row.seconds)) s, trust@10 \(row.trust) → atlas/peer \(format(run.median / row.seconds, 2))×")
        }
        if let ours = rows.first(where: { $0.name == "atlas umap" }) {
            print("  atlas umap: trust@10 \(ours.trust) (same scikit-learn code, same data)")
        }
    }

    // MARK: processes

    struct Timing {
        var runs: [Double]
        var cpu: Double
        var peakMB: Double
        var median: Double { runs.sorted()[runs.count / 2] }
        var summary: String {
            "\(format(median)) s median (runs \(runs.map { format($0, 2) }.joined(separator: ", ")); CPU \(format(cpu, 2)) s a run; peak \(format(peakMB, 0)) MB)"
        }
    }

    static func timeProcess(_ tool: String, _ args: [String], _ repeats: Int, allowedStatus: Set<Int32> = [0]) -> Timing {
        var runs: [Double] = []
        let cpuBefore = childCPU()
        for _ in 0..<max(1, repeats) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = args
            p.standardOutput = FileHandle.nullDevice
            let start = Date()
            do { try p.run() } catch { print("  cannot run \(tool): \(error)"); return Timing(runs: [.nan], cpu: .nan, peakMB: .nan) }
            p.waitUntilExit()
            runs.append(Date().timeIntervalSince(start))
            if !allowedStatus.contains(p.terminationStatus) { print("  \(tool) \(args.joined(separator: " ")) exited \(p.terminationStatus)") }
        }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Timing(runs: runs, cpu: (childCPU() - cpuBefore) / Double(runs.count), peakMB: Double(usage.ru_maxrss) / 1024)
    }

    static func childCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func capture(_ tool: String, _ args: [String]) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return "cannot run \(tool): \(error)" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The stage times the last render recorded in its manifest (decode's share among them).
    static func printStages(_ manifest: String) {
        guard let data = FileManager.default.contents(atPath: manifest),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let timings = json["timings"] as? [String: Double] else { return }
        let total = timings.filter { !$0.key.contains(".") }.values.reduce(0, +)
        let parts = timings.sorted { $0.key < $1.key }.map { "\($0.key) \(format($0.value, 2))" }
        print("  stages of the last run: \(parts.joined(separator: ", ")) (top-level sum \(format(total, 2)) s)")
    }
}
