import AtlasCore
import Foundation
import Select

/// `make bench ARGS=select [--folder /tmp/atlas-select-bench] [--repeats 5]`: the selection scan on
/// seeded 600 000 × 384 and 100 000 × 2304 matrices (float32 and float16, generated once into the
/// folder, not committed): the in-process scan, the whole `atlas select` process on a warm page
/// cache with its peak resident memory, and NumPy's `X @ v` + `argpartition` on the same files.
enum SelectBenchmark {
    static func run(arguments: [String]) {
        var folder = "/tmp/atlas-select-bench", repeats = 5
        var i = 0
        while i < arguments.count {
            switch arguments[i] {
            case "--folder": folder = arguments[i + 1]; i += 1
            case "--repeats": repeats = Int(arguments[i + 1]) ?? repeats; i += 1
            default: print("unknown argument \(arguments[i])"); exit(64)
            }
            i += 1
        }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        print("select  threads=\(Parallel.allCores)  vectorised kernel=\(Scanner.vectorised)")
        for (rows, dim) in [(600_000, 384), (100_000, 2304)] {
            let base = "\(folder)/e\(rows)x\(dim)"
            let f32 = base + ".npy", f16 = base + "-f16.npy", direction = "\(folder)/d\(dim).npy", texts = "\(folder)/t\(rows).txt"
            generate(rows: rows, dim: dim, f32: f32, f16: f16, direction: direction, texts: texts)
            for path in [f32, f16] {
                do {
                    let matrix = try MatrixFile.open(path)
                    let d = try Direction.read(direction)
                    _ = try Scanner.scan(matrix, directions: [d], top: 250) // warm the page cache
                    var scan: Scan?
                    let released = try bestTime(repeats: repeats) { scan = try Scanner.scan(matrix, directions: [d], top: 250) }
                    let kept = try bestTime(repeats: repeats) { _ = try Scanner.scan(matrix, directions: [d], top: 250, releasePages: false) }
                    let gb = Double(matrix.byteCount) / 1e9
                    print("  \(rows)×\(dim) \(matrix.element.kind.rawValue) (\(format(gb, 2)) GB): scan \(format(released * 1000, 1)) ms "
                          + "(\(format(gb / released, 1)) GB/s; \(format(kept * 1000, 1)) ms with pages kept mapped, \(format(gb / kept, 1)) GB/s), "
                          + "top row \(scan!.results[0].top[0].row)")
                    let process = try wholeProcess(matrix: path, texts: texts, direction: direction, out: "\(folder)/out.jsonl", repeats: 3)
                    print("    atlas select process: \(format(process.seconds, 3)) s (warm cache), peak RSS \(format(process.peakMB, 1)) MB; "
                          + "histogram + write \(format(process.tail * 1000, 1)) ms")
                } catch {
                    print("  \(path): \(error)")
                }
            }
            numpy(f32, direction, repeats: repeats)
            numpy(f16, direction, repeats: 2) // NumPy has no float16 BLAS: seconds per product
        }
    }

    /// A seeded matrix: each row a random mix of a few shared "topic" directions plus noise, so
    /// scores are near-Gaussian with a real tail; float16 holds the same values rounded.
    static func generate(rows: Int, dim: Int, f32: String, f16: String, direction: String, texts: String) {
        let expected = rows * dim * 4
        if let size = try? FileManager.default.attributesOfItem(atPath: f32)[.size] as? Int, size > expected,
           FileManager.default.fileExists(atPath: f16), FileManager.default.fileExists(atPath: texts) { return }
        let started = Date()
        let topics = 16
        let topicNoise = CounterRandom(seed: 20251201, stream: 1), pick = CounterRandom(seed: 20251201, stream: 2)
        let weight = CounterRandom(seed: 20251201, stream: 3), noise = CounterRandom(seed: 20251201, stream: 4)
        let basis = (0..<topics * dim).map { i in Float(topicNoise.gaussian(UInt64(i))) }
        let d = (0..<dim).map { j in basis[j] + 0.5 * basis[dim + j] }
        try? Data(npyHeader(shape: "(\(dim),)", descr: "<f4") + d.withUnsafeBytes(Array.init)).write(to: URL(fileURLWithPath: direction))
        let band = 4096
        FileManager.default.createFile(atPath: f32, contents: Data(npyHeader(shape: "(\(rows), \(dim))", descr: "<f4")))
        FileManager.default.createFile(atPath: f16, contents: Data(npyHeader(shape: "(\(rows), \(dim))", descr: "<f2")))
        let h32 = FileHandle(forWritingAtPath: f32)!, h16 = FileHandle(forWritingAtPath: f16)!
        h32.seekToEndOfFile(); h16.seekToEndOfFile()
        for b in stride(from: 0, to: rows, by: band) {
            let n = min(band, rows - b)
            let parts = Parallel.map(n, threads: Parallel.allCores) { r -> [Float] in
                let row = UInt64(b + r)
                var v = [Float](repeating: 0, count: dim)
                for t in 0..<3 {
                    let topic = Int(pick.uniform(row * 8 + UInt64(t)) * Double(topics)) % topics
                    let w = Float(weight.gaussian(row * 8 + UInt64(t)))
                    for j in 0..<dim { v[j] += w * basis[topic * dim + j] }
                }
                // Triangular noise (two uniforms): cheap, and the scores come out near-Gaussian all the same.
                let at = row &* UInt64(dim) &* 2
                for j in 0..<dim { v[j] += 2.5 * (Float(noise.uniform(at &+ UInt64(2 * j))) + Float(noise.uniform(at &+ UInt64(2 * j + 1))) - 1) }
                return v
            }
            let flat = parts.flatMap { $0 }
            h32.write(flat.withUnsafeBytes { Data($0) })
            h16.write(flat.map { Float16($0) }.withUnsafeBytes { Data($0) })
        }
        h32.closeFile(); h16.closeFile()
        try? Data((0..<rows).map { "prompt \($0)\n" }.joined().utf8).write(to: URL(fileURLWithPath: texts))
        print("  generated \(rows)×\(dim) in \(format(Date().timeIntervalSince(started), 1)) s")
    }

    static func npyHeader(shape: String, descr: String) -> [UInt8] {
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dict.utf8.count & 0xff), UInt8(dict.utf8.count >> 8)] + Array(dict.utf8)
    }

    /// Best wall time of the `atlas select` process (release build beside this benchmark), its
    /// peak resident memory, and the time it reported for the write and the histogram.
    static func wholeProcess(matrix: String, texts: String, direction: String, out: String, repeats: Int) throws -> (seconds: Double, peakMB: Double, tail: Double) {
        let atlas = (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/atlas"
        guard FileManager.default.isExecutableFile(atPath: atlas) else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: atlas]) }
        var best = Double.infinity, peak = 0.0, tail = 0.0
        for _ in 0..<repeats {
            // Through /usr/bin/time for the child's own peak RSS (getrusage of the children would
            // count this process's mapped pages, inherited across the fork).
            let p = Process()
            let rss = out + ".rss"
            p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
            p.arguments = ["-f", "%M", "-o", rss, atlas, "select", "--embeddings", matrix, "--texts", texts, "--direction", direction, "-o", out]
            let err = Pipe()
            p.standardError = err
            let start = Date()
            try p.run()
            let output = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let t = Date().timeIntervalSince(start)
            let kb = (try? String(contentsOfFile: rss, encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
            peak = max(peak, kb / 1024)
            guard p.terminationStatus == 0 else { throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: String(decoding: output, as: UTF8.self)]) }
            if t < best {
                best = t
                // "done in … (open …, scan …, write W, histogram H)"
                let text = String(decoding: output, as: UTF8.self)
                let numbers = text.components(separatedBy: "write ").last?.components(separatedBy: CharacterSet(charactersIn: " ,)"))
                    .compactMap(Double.init) ?? []
                tail = numbers.reduce(0, +)
            }
        }
        return (best, peak, tail)
    }

    static func numpy(_ matrix: String, _ direction: String, repeats: Int) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("select/numpy_select.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, matrix, direction, "--repeats", String(repeats)]
        let out = Pipe()
        p.standardOutput = out
        do {
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            print("  " + text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            print("  numpy: \(error)")
        }
    }
}
