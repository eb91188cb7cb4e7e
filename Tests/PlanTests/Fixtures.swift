import Foundation
import Styles

/// Paths into the repository, found from this file so tests run from any working directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static let styles = StyleLibrary(directories: [path("Styles")])
}

func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-plan-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}

/// A small, quick preview canvas.
let smallCanvas = ["canvas.width=192", "canvas.height=192", "output.formats=[png]", "output.bit_depth=8", "decode.latent_scale=0.5"]

/// The first `count` contexts of an example (its header line kept), written to a temporary file: small and quick.
func smallExample(_ name: String, count: Int = 40) throws -> String {
    let text = try String(contentsOfFile: Repository.path("Examples/\(name).jsonl"), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(count + 1)
    let path = try temporaryDirectory() + "/\(name).jsonl"
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
