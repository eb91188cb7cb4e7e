import ArgumentParser
import AtlasCore

@main
struct Atlas: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atlas",
        abstract: "Turn one feature of a neural network into a gallery-ready atlas image.",
        discussion: """
        Exit status: 0 on success, 1 when an input or a render failed, 64 on a usage error.
        Styles live in Styles/*.yaml ('atlas styles' lists them).
        """,
        version: "\(ToolVersion.name) \(ToolVersion.current)",
        subcommands: [Render.self, SelectCommand.self, StylesCommand.self, Diff.self, Verify.self, BatchCommand.self, Index.self])
}
