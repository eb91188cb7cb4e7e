import AtlasCore
import Compare
import Dispatch
import Foundation
import Graphics

/// `atlas diff` against ImageMagick's `compare -metric AE`, as whole processes from one run (issue
/// 16's row): two noisy 4096² PNGs with (a) one local 60×80 change and (b) 1 500 scattered pixels
/// besides; median of `--repeat` runs each, the ratio, and each process's own peak RSS. Then the
/// in-process metrics on the render-like pair of Benchmarks/compare/patterns.py (the scan, SSIM on
/// its own and in its worst case, the full report, the report with the diff image, decoding).
///
/// `--large` adds two noisy 16384² PNGs (bounded memory: the diff reads them in bands).
/// The PNGs are kept in `--workdir` (default $TMPDIR/atlas-compare-bench) and reused.
///
/// Arguments: `[--size N] [--repeat N] [--large] [--workdir DIR] [--skip processes,metrics]`.
enum CompareBenchmark {
    static func run(arguments: [String]) {
        setvbuf(stdout, nil, _IOLBF, 0)
        let size = option("--size", in: arguments) ?? 4096
        let repeats = option("--repeat", in: arguments) ?? 3
        let workdir = BatchBenchmark.stringOptions("--workdir", in: arguments).last ?? NSTemporaryDirectory() + "atlas-compare-bench"
        let skip = Set(BatchBenchmark.stringOptions("--skip", in: arguments).flatMap { $0.split(separator: ",").map(String.init) })
        try? FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
        if !skip.contains("processes") {
            processes(workdir, repeats: option("--repeat", in: arguments) ?? 5, large: arguments.contains("--large"))
        }
        if !skip.contains("metrics") { metrics(size: size, repeats: repeats, workdir: workdir) }
    }

    static func metrics(size: Int, repeats: Int, workdir: String) {
        let (pair, generation) = time { benchmarkPair(size: size) }
        print("compare benchmark: \(size)×\(size), best of \(repeats) (pair generated in \(ms(generation)))")

        var report: ComparisonReport?
        measure("scan: count + AA + max diff + PSNR + ΔE", repeats) { _ = ImageComparison.psnr(pair.a, pair.b) }
        measure("SSIM (3 channels, 11-tap Gaussian)", repeats) { _ = ImageComparison.ssim(pair.a, pair.b) }
        // SSIM skips windows where A and B agree; its worst case is a change in every pixel.
        var everywhere = pair.b
        for i in stride(from: 0, to: everywhere.pixels.count, by: 4) { everywhere.pixels[i] ^= 1 }
        measure("SSIM, worst case (every pixel changed)", repeats) { _ = ImageComparison.ssim(pair.a, everywhere) }
        measure("full report (scan + SSIM)", repeats) { report = ImageComparison.compare(pair.a, pair.b, tolerance: .standard) }
        measure("full report + diff image", repeats) { _ = ImageComparison.compareWithDiff(pair.a, pair.b, tolerance: .standard) }
        if let r = report {
            print("differing \(r.differingPixels), antialiased \(r.antialiasedPixels), PSNR \(r.psnr), SSIM \(r.ssim), "
                + "ΔE mean \(r.deltaE.mean) p95 \(r.deltaE.p95) max \(r.deltaE.max)")
        }
        // Decoding included: the pair written as PNGs (as peers.py does) and read back, two files on two cores.
        let dir = workdir
        let paths = [dir + "/a.png", dir + "/b.png"]
        do {
            for (path, image) in zip(paths, [pair.a, pair.b]) where !FileManager.default.fileExists(atPath: path) {
                try PNGFile.write(image, to: path, options: PNGOptions(compressionLevel: 6))
            }
            measure("PNG decode of both files (2 cores)", repeats) { _ = try! PNGFile.read(paths) }
            measure("decode + scan (what `compare -metric AE` does)", repeats) {
                let images = try! PNGFile.read(paths)
                _ = ImageComparison.psnr(images[0].image, images[1].image)
            }
            measure("decode + full report (`atlas diff`)", repeats) {
                let images = try! PNGFile.read(paths)
                _ = ImageComparison.compare(images[0].image, images[1].image, tolerance: .standard)
            }
            print("  peer: python3 Benchmarks/compare/peers.py --workdir \(dir)   (ImageMagick compare -metric AE, pixelmatch)")
        } catch {
            print("  PNG round trip failed: \(error)")
        }
    }

    private static func measure(_ label: String, _ repeats: Int, _ body: () -> Void) {
        let best = (0..<max(repeats, 1)).map { _ in time(body).1 }.min()!
        print("  \(label): \(ms(best))")
    }

    private static func time<T>(_ body: () -> T) -> (T, UInt64) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = body()
        return (value, DispatchTime.now().uptimeNanoseconds - start)
    }

    private static func ms(_ nanoseconds: UInt64) -> String {
        "\((Double(nanoseconds) / 1e4).rounded() / 100) ms"
    }

    private static func option(_ name: String, in arguments: [String]) -> Int? {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
        return Int(arguments[i + 1])
    }

    // MARK: - The pair (mirrors Benchmarks/compare/patterns.py)

    /// A: gradient, two anti-aliased discs, a hairline grid. B: the discs moved 3/8 px right and
    /// ±2 noise over the second quadrant on the diagonal.
    static func benchmarkPair(size: Int) -> (a: RGBAImage, b: RGBAImage) {
        let q = size / 4
        return (scene(size, shift8: 0) { _, _ in nil },
                scene(size, shift8: 3) { x, y in
                    (q..<2 * q).contains(x) && (q..<2 * q).contains(y) ? (x - q, y - q) : nil
                })
    }

    private static func scene(_ size: Int, shift8: Int, noiseAt: (Int, Int) -> (Int, Int)?) -> RGBAImage {
        var px = [UInt8](repeating: 255, count: size * size * 4)
        let discs = [(cx8: 8 * size / 3 + shift8, cy8: 8 * size / 2, r8: 8 * size / 4, colour: SIMD3(30, 30, 60)),
                     (cx8: 8 * size * 2 / 3 + shift8, cy8: 8 * size / 3, r8: 8 * size / 6, colour: SIMD3(250, 220, 40))]
        for y in 0..<size {
            for x in 0..<size {
                var rgb = SIMD3(x * 255 / (size - 1), y * 255 / (size - 1), (x + y) * 255 / (2 * size - 2))
                for d in discs {
                    let k = coverage(x, y, d.cx8, d.cy8, d.r8)
                    rgb = (rgb &* (16 - k) &+ d.colour &* k) / 16
                }
                if x % 16 == 5 || y % 16 == 11 { rgb = rgb &* 3 / 4 }
                if let (nx, ny) = noiseAt(x, y) {
                    for c in 0..<3 { rgb[c] = min(max(rgb[c] + Int(noise(21, nx, ny, c) % 5) - 2, 0), 255) }
                }
                let i = (y * size + x) * 4
                px[i] = UInt8(rgb.x); px[i + 1] = UInt8(rgb.y); px[i + 2] = UInt8(rgb.z)
            }
        }
        return RGBAImage(width: size, height: size, pixels: px)
    }

    @inline(__always)
    private static func coverage(_ x: Int, _ y: Int, _ cx8: Int, _ cy8: Int, _ r8: Int) -> Int {
        // Whole pixel clearly inside or outside: skip the 16 samples.
        let dx = 8 * x + 4 - cx8, dy = 8 * y + 4 - cy8, d2 = dx * dx + dy * dy
        if d2 > (r8 + 8) * (r8 + 8) { return 0 }
        if r8 > 8 && d2 < (r8 - 8) * (r8 - 8) { return 16 }
        var k = 0
        for sy in 0..<4 {
            for sx in 0..<4 {
                let ex = 8 * x + 2 * sx + 1 - cx8, ey = 8 * y + 2 * sy + 1 - cy8
                if ex * ex + ey * ey <= r8 * r8 { k += 1 }
            }
        }
        return k
    }

    private static func noise(_ seed: Int, _ x: Int, _ y: Int, _ channel: Int) -> UInt32 {
        var v = UInt32(truncatingIfNeeded: UInt64(seed) &* 0x9e37_79b1 &+ UInt64((y * 4099 + x) * 4 + channel))
        v ^= v >> 16; v &*= 0x7feb_352d; v ^= v >> 15; v &*= 0x846c_a68b; v ^= v >> 16
        return v
    }
}
