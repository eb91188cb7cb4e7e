import AtlasCore
import Foundation
import Graphics

/// What a failed comparison leaves for a reviewer, in a folder of its own: `reference.png` (the
/// golden), `failure.png` (the render) and `difference.png` (the diff picture). The golden tests
/// and `atlas verify` both write them here, so they look the same wherever a failure shows up.
public enum FailureArtifacts {
    /// Writes the three images into `folder` (created if missing) and returns the paths, in that order.
    @discardableResult
    public static func write(reference: RGBAImage, failure: RGBAImage, difference: RGBAImage, to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try [("reference.png", reference), ("failure.png", failure), ("difference.png", difference)].map { file, image in
            let path = (folder as NSString).appendingPathComponent(file)
            try PNGFile.write(image, to: path, options: PNGOptions(compressionLevel: 3))
            return path
        }
    }
}
