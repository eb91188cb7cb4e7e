import Foundation
import Testing

/// `make install-files` run on the `atlas` built beside this test runner, the install moved to
/// another folder, and the moved copy run from a folder under /tmp with no `Styles/` of its own: it
/// must find its presets and fonts from where it is, not from the checkout it was built in.
@Suite("Installed copy")
struct InstalledCopyTests {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `atlas` SwiftPM built for this test (the test target depends on it), beside the runner.
    static var builtExecutable: URL {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: runner).deletingLastPathComponent()
        // macOS runs tests from inside an .xctest bundle.
        while folder.pathExtension == "xctest" || folder.lastPathComponent == "MacOS" || folder.lastPathComponent == "Contents" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("atlas")
    }

    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs `executable` in `folder` with `$ATLAS_STYLES` removed from the environment.
    static func run(_ executable: URL, _ arguments: [String], in folder: URL) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["ATLAS_STYLES"] = nil
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func temporaryFolder() throws -> URL {
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("atlas-installed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A small render, so the test stays quick in a debug build.
    static let render = ["render", "civic.jsonl", "--style", "preview", "--set", "canvas.width=240", "--set", "canvas.height=240",
                         "--set", "decode.steps=4", "--output", "out"]

    @Test func aMovedInstallRendersFromAnotherFolder() throws {
        let built = Self.builtExecutable
        #expect(FileManager.default.isExecutableFile(atPath: built.path), "no atlas beside the test runner at \(built.path)")
        let tmp = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let first = tmp.appendingPathComponent("first"), moved = tmp.appendingPathComponent("moved")
        let install = try Self.run(URL(fileURLWithPath: "/usr/bin/make"),
                                   ["--no-print-directory", "-s", "-C", Self.checkout.path, "install-files",
                                    "PREFIX=\(first.path)", "ATLAS=\(built.path)"], in: tmp)
        #expect(install.status == 0, "make install-files failed: \(install.output)")
        try FileManager.default.moveItem(at: first, to: moved)
        let work = tmp.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.checkout.appendingPathComponent("Examples/civic.jsonl"),
                                         to: work.appendingPathComponent("civic.jsonl"))
        let atlas = moved.appendingPathComponent("bin/atlas")

        // A preset edited in the moved install shows: the presets are read from there, not the checkout.
        let preset = moved.appendingPathComponent("share/latentatlas/Styles/preview.yaml")
        let text = try String(contentsOf: preset, encoding: .utf8)
        try text.replacingOccurrences(of: "\ndescription: ", with: "\ndescription: (moved) ").write(to: preset, atomically: true, encoding: .utf8)
        let styles = try Self.run(atlas, ["styles"], in: work)
        #expect(styles.status == 0, "atlas styles failed: \(styles.output)")
        #expect(styles.output.contains("(moved) Fast"), "\(styles.output)")
        #expect(styles.output.contains("poster"))

        let rendered = try Self.run(atlas, Self.render, in: work)
        #expect(rendered.status == 0, "the moved install could not render: \(rendered.output)")
        let png = work.appendingPathComponent("out/civic.png").path
        #expect(((try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0) > 0, "no \(png)")
    }

    /// The binary alone, with no resources beside it, must not fall back on the checkout it came from.
    @Test func aBareCopySaysWhereItLooked() throws {
        let tmp = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let bare = tmp.appendingPathComponent("atlas")
        try FileManager.default.copyItem(at: Self.builtExecutable, to: bare)
        try FileManager.default.copyItem(at: Self.checkout.appendingPathComponent("Examples/civic.jsonl"),
                                         to: tmp.appendingPathComponent("civic.jsonl"))
        let result = try Self.run(bare, Self.render, in: tmp)
        #expect(result.status == 64)  // an unknown style is a usage error
        #expect(result.output.contains("No style named 'preview' in \(tmp.path)/Styles"), "\(result.output)")
    }
}
