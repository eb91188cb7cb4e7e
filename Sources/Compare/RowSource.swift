import AtlasCore
import Foundation
import Graphics

/// Where a comparison's rows come from, top to bottom: an image in memory, or a PNG file read
/// band by band (`PNGRowReader`), so a comparison never needs a whole image in memory.
protocol RowSource: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// The next `count` rows, each `width × 4` bytes of 8-bit RGBA, `stride` bytes apart.
    func read(rows count: Int, into rows: UnsafeMutableRawPointer, stride: Int) throws
}

extension PNGRowReader: RowSource {}

/// The rows of a decoded image.
final class ImageRows: RowSource {
    let image: RGBAImage
    private var next = 0
    var width: Int { image.width }
    var height: Int { image.height }

    init(_ image: RGBAImage) { self.image = image }

    func read(rows count: Int, into rows: UnsafeMutableRawPointer, stride: Int) throws {
        precondition(next + count <= image.height, "reading past the last row")
        let rowBytes = image.width * 4
        image.pixels.withUnsafeBytes { src in
            for r in 0..<count {
                (rows + r * stride).copyMemory(from: src.baseAddress! + (next + r) * rowBytes, byteCount: rowBytes)
            }
        }
        next += count
    }
}

/// Both images' rows of the overlap in image coordinates: pixel (x, y) is word `y·width + x` of
/// `a` and of `b` (RGBA bytes), valid for the rows the comparison's buffers hold at the time.
struct BandView {
    let a: UnsafePointer<UInt32>
    let b: UnsafePointer<UInt32>
    /// The overlap's size.
    let width: Int
    let height: Int

    var bytesA: UnsafePointer<UInt8> { UnsafeRawPointer(a).assumingMemoryBound(to: UInt8.self) }
    var bytesB: UnsafePointer<UInt8> { UnsafeRawPointer(b).assumingMemoryBound(to: UInt8.self) }
}
