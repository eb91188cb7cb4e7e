import Foundation
import Styles

/// Paths into the repository, found from this file so tests run from any working directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static let styles = StyleLibrary(directories: [path("Styles")])
    static let goldens = path("Tests/Goldens")
    static let artifacts = path(".artifacts")
}

func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-pipeline-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}

/// Overrides that make any preset small and quick enough for a test, keeping its look.
let smallCanvas = ["canvas.width=256", "canvas.height=256", "output.formats=[png]", "output.bit_depth=8", "decode.latent_scale=0.5"]

struct MissingTool: Error, CustomStringConvertible {
    var name: String
    var description: String { "\(name) is not installed; 'make setup' installs poppler-utils, which provides it." }
}

/// Runs one of poppler-utils' tools (`make setup` installs them); a missing tool fails the test.
func tool(_ name: String, _ args: [String]) throws -> String {
    guard let path = ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw MissingTool(name: name)
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
