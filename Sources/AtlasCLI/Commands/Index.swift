import ArgumentParser
import Batch
import Foundation

extension Atlas {
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write index.json (every poster with its manifest) and a contact sheet of a folder of renders.",
            discussion: "Gathers the manifests in the folder, whichever batch, shard or machine wrote them.")

        @Argument(help: "The folder of renders, e.g. Output/posters.")
        var folder: String

        @Option(name: .long, help: "Thumbnails per row of the contact sheet.")
        var columns: Int = 8

        @Option(name: .long, help: "Thumbnail side in pixels.")
        var thumbnail: Int = 256

        @Flag(name: .shortAndLong, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            if columns < 1 { throw ValidationError("--columns \(columns) is out of range; expected 1 or more.") }
            if !(16...4096).contains(thumbnail) { throw ValidationError("--thumbnail \(thumbnail) is out of range; expected 16…4096.") }
        }

        func run() throws {
            do {
                let index = try GalleryIndex.gather(folder)
                for name in index.ignored where !quiet { warn("\(folder)/\(name) is not a render manifest; left out of the index") }
                let written = try index.write(sheet: ContactSheet(columns: columns, thumbnail: thumbnail))
                if !quiet { print("wrote \(written.joined(separator: ", ")) (\(index.posters.count) posters)") }
            } catch {
                throw fail(error)
            }
        }
    }
}
