import ArgumentParser
import Batch
import Foundation
import Styles

/// Style selection shared by every command that renders.
struct StyleOptions: ParsableArguments {
    @Option(name: .long, help: "Style preset name (see 'atlas styles') or path to a style .yaml file.")
    var style: String = "preview"

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one style key, e.g. --set canvas.width=2048 (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    // `.unconditional` takes the next word as the value even when it starts with '-', so `--seed -1`
    // is reported as a bad seed rather than a missing one.
    @Option(name: .long, parsing: .unconditional, help: "Random seed, a whole number 0…18446744073709551615 (overrides the style's 'seed').",
            transform: StyleOptions.seed)
    var seed: UInt64?

    @Option(name: .customLong("styles-dir"), help: "Extra folder to search for style presets (searched first).")
    var stylesDirectory: String?

    var allOverrides: [String] { overrides + (seed.map { ["seed=\($0)"] } ?? []) }

    static func seed(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text) else {
            let why = text.hasPrefix("-") && Int64(text) != nil ? "seeds cannot be negative" : "it is not a whole number"
            throw ValidationError("\(why); give a whole number from 0 to \(UInt64.max)")
        }
        return value
    }

    func validate() throws {
        if let d = stylesDirectory { try Self.checkFolder(d, flag: "--styles-dir") }
    }

    /// A folder option must name an existing folder.
    static func checkFolder(_ path: String, flag: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("\(flag) '\(path)' does not exist; give a folder of style .yaml files.")
        }
        guard isDirectory.boolValue else { throw ValidationError("\(flag) '\(path)' is a file, not a folder of style .yaml files.") }
    }

    func library() -> StyleLibrary {
        var lib = StyleLibrary.standard()
        if let d = stylesDirectory { lib.directories.insert(d, at: 0) }
        return lib
    }

    func load() throws -> Style {
        try library().load(style, overrides: allOverrides)
    }
}

/// `--memory` for one render or a whole batch.
enum MemoryOption {
    static func parse(_ text: String) throws -> UInt64 {
        guard let bytes = MemoryBudget.parse(text) else { throw ValidationError("'\(text)' is not a size such as 8G, 512M or 300000000") }
        return bytes
    }
}
