import ArgumentParser
import Styles

/// Style selection shared by every command that renders.
struct StyleOptions: ParsableArguments {
    @Option(name: .long, help: "Style preset name (see 'atlas styles') or path to a style .yaml file.")
    var style: String = "preview"

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one style key, e.g. --set canvas.width=2048 (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(name: .long, help: "Random seed (overrides the style's 'seed').")
    var seed: UInt64?

    @Option(name: .customLong("styles-dir"), help: "Extra folder to search for style presets (searched first).")
    var stylesDirectory: String?

    var allOverrides: [String] { overrides + (seed.map { ["seed=\($0)"] } ?? []) }

    func library() -> StyleLibrary {
        var lib = StyleLibrary.standard()
        if let d = stylesDirectory { lib.directories.insert(d, at: 0) }
        return lib
    }

    func load() throws -> Style {
        try library().load(style, overrides: allOverrides)
    }
}
