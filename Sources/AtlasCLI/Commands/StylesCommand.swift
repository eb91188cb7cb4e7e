import ArgumentParser
import Foundation
import Styles

extension Atlas {
    struct StylesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "styles",
            abstract: "List the style presets and what each is for, or check them all.")

        @Option(name: .customLong("styles-dir"), help: "Extra folder to search for style presets (searched first).")
        var stylesDirectory: String?

        @Flag(help: "Load and validate every preset; exit 1 if any is invalid.")
        var check = false

        func validate() throws {
            if let d = stylesDirectory { try StyleOptions.checkFolder(d, flag: "--styles-dir") }
        }

        func run() throws {
            var lib = StyleLibrary.standard()
            if let d = stylesDirectory { lib.directories.insert(d, at: 0) }
            let presets = lib.presets()
            var failed = false
            let width = presets.map(\.name.count).max() ?? 0
            for p in presets {
                if check {
                    do {
                        _ = try lib.load(p.name)
                        print("ok    \(p.name)")
                    } catch {
                        failed = true
                        print("FAIL  \(p.name): \(error)")
                    }
                } else {
                    print(p.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + p.description)
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
