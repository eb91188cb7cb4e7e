import AtlasCore
import Graphics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Golden-image comparison: A is the actual render, B the expected (golden) one.
///
/// Masked pixels are treated as equal to A's in every metric. Translucent pixels are composited on
/// white (as pixelmatch blends them) for the colour metrics, PSNR and SSIM. Images in memory and
/// PNG files go through the same banded comparison (`BandedComparison`); files are read a band at
/// a time, so comparing them takes memory for a few bands, not for the images. Every result is the
/// same at any `threads`.
public enum ImageComparison {
    public static func compare(_ a: RGBAImage, _ b: RGBAImage, tolerance: Tolerance, threads: Int = Parallel.allCores) -> ComparisonReport {
        inMemory { try BandedComparison(ImageRows(a), ImageRows(b), tolerance: tolerance, threads: threads).measure() }
    }

    /// Changed pixels in red, anti-aliased ones in yellow, masked ones pale blue, over a faded grey copy
    /// of A (pixelmatch's diff output), and the largest connected area of changes framed in magenta.
    /// Where B does not cover A, pixels are red.
    public static func diffImage(_ a: RGBAImage, _ b: RGBAImage, tolerance: Tolerance, threads: Int = Parallel.allCores) -> RGBAImage {
        compareWithDiff(a, b, tolerance: tolerance, threads: threads).diff
    }

    /// The report and the diff image (the second pass paints it, once the largest area is known).
    /// `framingLargestArea: false` leaves out the frame (pixelmatch's picture exactly).
    public static func compareWithDiff(_ a: RGBAImage, _ b: RGBAImage, tolerance: Tolerance, framingLargestArea: Bool = true,
                                       threads: Int = Parallel.allCores) -> (report: ComparisonReport, diff: RGBAImage) {
        let report = compare(a, b, tolerance: tolerance, threads: threads)
        return (report, difference(a, b, tolerance: tolerance, report: report, framingLargestArea: framingLargestArea, threads: threads))
    }

    /// The diff image of a pair already compared (`report` is their report: it gives the frame).
    public static func difference(_ a: RGBAImage, _ b: RGBAImage, tolerance: Tolerance, report: ComparisonReport,
                                  framingLargestArea: Bool = true, threads: Int = Parallel.allCores) -> RGBAImage {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(a.width * a.height * 4)
        inMemory {
            try BandedComparison(ImageRows(a), ImageRows(b), tolerance: tolerance, threads: threads)
                .paint(frame: framingLargestArea ? report.largestDifferingAreaBox : nil) { rows, count in
                    pixels.append(contentsOf: UnsafeBufferPointer(start: rows, count: count * a.width * 4))
                }
        }
        return RGBAImage(width: a.width, height: a.height, pixels: pixels)
    }

    /// Compares two PNG files band by band (`atlas diff`): neither image is ever whole in memory.
    /// A file declaring more than `maximumPixels` pixels is refused before anything is read.
    public static func compare(files a: String, _ b: String, tolerance: Tolerance, maximumPixels: Int = PNGFile.defaultMaximumPixels,
                               threads: Int = Parallel.allCores) throws -> ComparisonReport {
        let (ra, rb) = try open(a, b, maximumPixels: maximumPixels, threads: threads)
        return try BandedComparison(ra, rb, tolerance: tolerance, threads: threads).measure()
    }

    /// Writes the difference image of two PNG files to `path`, band by band, framing the largest
    /// area of `report` (their comparison's report) unless `framingLargestArea` is false. The files
    /// are read again: this second pass is what keeps memory bounded by bands.
    public static func writeDifference(files a: String, _ b: String, tolerance: Tolerance, report: ComparisonReport,
                                       framingLargestArea: Bool = true, to path: String,
                                       maximumPixels: Int = PNGFile.defaultMaximumPixels, threads: Int = Parallel.allCores) throws {
        let (ra, rb) = try open(a, b, maximumPixels: maximumPixels, threads: threads)
        let writer = try PNGWriter(path: path, width: ra.width, height: ra.height, channels: 4,
                                   options: PNGOptions(compressionLevel: 3, threads: threads))
        try BandedComparison(ra, rb, tolerance: tolerance, threads: threads)
            .paint(frame: framingLargestArea ? report.largestDifferingAreaBox : nil) { rows, count in
                try writer.write(rows: rows, count: count, stride: ra.width * 4)
            }
        try writer.finish()
    }

    /// Mean SSIM over R, G, B (scikit-image's Gaussian-window SSIM); the overlap when sizes differ.
    public static func ssim(_ a: RGBAImage, _ b: RGBAImage, threads: Int = Parallel.allCores) -> Double {
        compare(a, b, tolerance: Tolerance(masks: []), threads: threads).ssim
    }

    /// PSNR in dB over RGB with a data range of 255 (scikit-image's `peak_signal_noise_ratio`);
    /// `.infinity` for identical images.
    public static func psnr(_ a: RGBAImage, _ b: RGBAImage, threads: Int = Parallel.allCores) -> Double {
        compare(a, b, tolerance: Tolerance(masks: []), threads: threads).psnr
    }

    static func psnr(squaredError: Double, pixels: Int) -> Double {
        guard squaredError > 0 else { return .infinity }
        let mse = squaredError / Double(3 * pixels)
        return 10 * log10(255 * 255 / mse)
    }

    /// Both files' headers, on two threads.
    private static func open(_ a: String, _ b: String, maximumPixels: Int, threads: Int) throws -> (PNGRowReader, PNGRowReader) {
        let paths = [a, b]
        let readers = Parallel.map(2, threads: threads) { i in Result { try PNGRowReader(path: paths[i], maximumPixels: maximumPixels) } }
        return (try readers[0].get(), try readers[1].get())
    }

    /// Rows from memory cannot fail to read.
    private static func inMemory<T>(_ body: () throws -> T) -> T {
        do { return try body() } catch { preconditionFailure("reading an image in memory failed: \(error)") }
    }
}
