import AtlasCore
import Foundation
import Graphics
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16's `atlas diff` row: whole processes, ours beside ImageMagick's from the same run.
extension CompareBenchmark {
    /// The noisy pair (a) with one local 60×80 inverted block and (b) with 1 500 scattered inverted
    /// pixels besides, at `side`², written once into `dir` and reused: base, local, scattered.
    static func noisyPNGs(side: Int, in dir: String) -> [String] {
        let paths = ["a", "local", "scattered"].map { "\(dir)/noisy-\(side)-\($0).png" }
        if paths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { return paths }
        var base = [UInt8](repeating: 255, count: side * side * 4)
        for i in 0..<(side * side) {
            var v = UInt32(truncatingIfNeeded: i) &* 2_654_435_761
            v ^= v >> 13
            base[i * 4] = UInt8(truncatingIfNeeded: 90 + v % 40)
            base[i * 4 + 1] = UInt8(truncatingIfNeeded: 120 + (v >> 8) % 40)
            base[i * 4 + 2] = UInt8(truncatingIfNeeded: 60 + (v >> 16) % 40)
        }
        // The large pair is written fast (level 1, Up filter): it is there for the diff's peak RSS.
        let options = side > 4096 ? PNGOptions(compressionLevel: 1, filter: .up, iccProfile: nil) : PNGOptions(compressionLevel: 6, iccProfile: nil)
        try! PNGFile.write(RGBAImage(width: side, height: side, pixels: base), to: paths[0], options: options)
        let (x0, y0) = (side * 2000 / 4096, side * 1000 / 4096)
        for y in y0..<(y0 + 80) { for x in x0..<(x0 + 60) { for c in 0..<3 { base[(y * side + x) * 4 + c] ^= 0xff } } }
        try! PNGFile.write(RGBAImage(width: side, height: side, pixels: base), to: paths[1], options: options)
        var state: UInt64 = 88_172_645_463_325_252
        for _ in 0..<1500 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let i = Int(state % UInt64(side * side)) * 4
            for c in 0..<3 { base[i + c] ^= 0xff }
        }
        try! PNGFile.write(RGBAImage(width: side, height: side, pixels: base), to: paths[2], options: options)
        return paths
    }

    /// Both cases at 4096² (and at 16384² with `large`): `atlas diff` and `compare -metric AE`,
    /// median of `repeats` runs each, the ratio, and each process's peak RSS.
    static func processes(_ dir: String, repeats: Int, large: Bool) {
        let atlas = TableBenchmark.atlas
        guard FileManager.default.isExecutableFile(atPath: atlas) else {
            print("compare: no atlas binary at \(atlas); build it with `swift build -c release --product atlas`")
            return
        }
        let compare = ["/usr/bin/compare", "/usr/local/bin/compare"].first { FileManager.default.isExecutableFile(atPath: $0) }
        for side in large ? [4096, 16384] : [4096] {
            let files = noisyPNGs(side: side, in: dir)
            let sizes = files.map { String(format: "%.1f", fileSizeMB($0)) }.joined(separator: " / ")
            print("== atlas diff vs ImageMagick, two noisy \(side)² PNGs (\(sizes) MB), whole processes, median of \(repeats)")
            // The large pair: case (a) once, for its peak RSS (bounded by bands, not by the image).
            let runs = side > 4096 ? 1 : repeats
            let cases = [("(a) one local 60×80 change", files[1]), ("(b) plus 1 500 scattered pixels", files[2])]
            for (label, b) in side > 4096 ? Array(cases.prefix(1)) : cases {
                let ours = measureProcess(atlas, ["diff", files[0], b], runs, allowed: [0, 1])
                var line = "  \(label): atlas diff \(ours.summary)"
                if let compare, side <= 4096 {
                    let theirs = measureProcess(compare, ["-metric", "AE", files[0], b, "null:"], runs, allowed: [0, 1])
                    line += "\n  \(String(repeating: " ", count: label.count))  ImageMagick compare -metric AE \(theirs.summary)"
                    line += "\n  \(String(repeating: " ", count: label.count))  → atlas/ImageMagick \(format(ours.median / theirs.median, 2))×"
                } else if compare == nil {
                    line += "; ImageMagick compare: not installed (make bench-venv)"
                }
                print(line)
            }
            guard side <= 4096 else { continue }
            let verdict = TableBenchmark.capture(atlas, ["diff", files[0], files[1]])
            if let area = verdict.split(separator: "\n").first(where: { $0.hasPrefix("largest differing area") }) { print("  (a): \(area)") }
            print("  (a) by default: " + (verdict.contains("\nfailed") ? "fails" : "passes (!)"))
            let noise = TableBenchmark.capture(atlas, ["diff", files[1], files[2]])
            print("  the scattered pixels alone by default: " + (noise.contains("\npassed") ? "pass" : "fail (!)"))
        }
    }

    struct ProcessTiming {
        var seconds: [Double]
        var cpu: [Double]
        var peakMB: [Double]
        var median: Double { Self.median(seconds) }
        static func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        var summary: String {
            "\(format(median)) s (runs \(seconds.map { format($0, 2) }.joined(separator: ", ")); "
                + "CPU \(format(Self.median(cpu), 2)) s; peak RSS \(format(peakMB.max() ?? 0, 0)) MB)"
        }
    }

    /// Runs `tool` `repeats` times, each as its own child (posix_spawn + wait4, under GNU time for the
    /// peak RSS), so the CPU time and the peak RSS are that process's own rather than the maximum
    /// over every child so far.
    static func measureProcess(_ tool: String, _ args: [String], _ repeats: Int, allowed: Set<Int32> = [0]) -> ProcessTiming {
        var timing = ProcessTiming(seconds: [], cpu: [], peakMB: [])
        // The peak RSS comes from GNU time when installed: a child spawned from this process starts
        // with this process's high-water mark (Linux keeps it across exec), `time`'s own child does not.
        let gnuTime = "/usr/bin/time", rssFile = NSTemporaryDirectory() + "atlas-bench-rss-\(getpid()).txt"
        let timed = FileManager.default.isExecutableFile(atPath: gnuTime)
        let command = timed ? [gnuTime, "-f", "%M", "-o", rssFile, tool] + args : [tool] + args
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        for _ in 0..<max(1, repeats) {
            var pid: pid_t = 0
            let start = DispatchTime.now().uptimeNanoseconds
            guard posix_spawn(&pid, command[0], &actions, nil, argv, environ) == 0 else {
                print("  cannot run \(tool)")
                return ProcessTiming(seconds: [.nan], cpu: [.nan], peakMB: [.nan])
            }
            var status: Int32 = 0
            var usage = rusage()
            _ = wait4(pid, &status, 0, &usage)
            timing.seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
            timing.cpu.append(seconds(usage.ru_utime) + seconds(usage.ru_stime))
            let kilobytes = timed ? (try? String(contentsOfFile: rssFile, encoding: .utf8)).flatMap { $0.split(separator: "\n").last.flatMap { Double($0) } } : nil
            timing.peakMB.append((kilobytes ?? Double(usage.ru_maxrss)) / 1024)
            let exit = (status >> 8) & 0xff
            if status & 0x7f != 0 || !allowed.contains(exit) { print("  \(tool) \(args.joined(separator: " ")) ended with status \(status)") }
        }
        return timing
    }
}
