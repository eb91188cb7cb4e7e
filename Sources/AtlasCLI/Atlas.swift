import ArgumentParser
import AtlasCore
import Foundation

@main
struct Atlas: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atlas",
        abstract: "Turn one feature of a neural network into a gallery-ready atlas image.",
        discussion: """
        Exit status: 0 on success, 1 when an input or a render failed (or 'diff'/'verify' found a difference), \
        2 when 'diff' cannot read an image, 64 on a usage error.
        Threads: --threads N everywhere; 'batch -j/--jobs N' is how many renders run at once. -q/--quiet prints nothing but errors.
        Styles live in Styles/*.yaml ('atlas styles' lists them).
        """,
        version: "\(ToolVersion.name) \(ToolVersion.current)",
        subcommands: [Render.self, SelectCommand.self, Paint.self, StylesCommand.self, Diff.self, Verify.self, BatchCommand.self, Index.self])

    /// The subcommands' names, for "did you mean".
    static var commandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName ?? String(describing: $0).lowercased() }
    }

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let problem = unknownCommand(arguments) {
            FileHandle.standardError.write(Data("atlas: error: \(problem)\n".utf8))
            Foundation.exit(ExitStatus.usage)
        }
        main(arguments)
    }

    /// A first word that names no subcommand (`atlas rendr x`), or `atlas help <no such command>`:
    /// argument-parser would print the root help (and exit 0 for `help`), so they are caught here.
    static func unknownCommand(_ arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let names = commandNames
        let word: String
        if first == "help" {
            guard arguments.count > 1, !arguments[1].hasPrefix("-") else { return nil }
            word = arguments[1]
        } else {
            word = first
        }
        guard !names.contains(word) else { return nil }
        let hint = Suggestion.nearest(to: word, in: names).map { "; did you mean '\($0)'?" }
            ?? "; the commands are \(names.joined(separator: ", "))."
        return "'\(word)' is not an atlas command\(hint)"
    }
}
