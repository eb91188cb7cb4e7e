import AtlasCore
import Browser
import Encode
import Foundation

/// The posters in an output folder, gathered from their manifests (whichever shard or machine wrote
/// them): written as `index.json` and drawn as a contact sheet by `atlas index` and `atlas batch --merge`.
public struct GalleryIndex: Sendable {
    public struct Poster: Codable, Sendable, Equatable {
        public var latent: String
        /// The PNG beside the manifest, when there is one.
        public var image: String?
        public var manifestFile: String
        public var manifest: Manifest
    }

    public static let fileName = "index.json"

    public var folder: String
    /// Sorted by latent name.
    public var posters: [Poster]
    /// `.json` files in the folder that are not render manifests.
    public var ignored: [String]

    /// Reads every manifest in `folder` (not its subfolders: each batch output is one flat folder).
    public static func gather(_ folder: String) throws -> GalleryIndex {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw BatchError.unreadableOutput(folder)
        }
        var posters: [Poster] = []
        var ignored: [String] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") && name != fileName {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let manifest = try? Manifest.read(path) else {
                ignored.append(name)
                continue
            }
            // The poster is `<stem>.png` by the one naming rule; else (older manifests) the first PNG listed.
            let poster = (try? OutputName.stem(for: manifest.latent.name)).map { $0 + ".png" }
            let exists = { (file: String) in FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(file)) }
            let image = poster.flatMap { manifest.outputs.contains($0) && exists($0) ? $0 : nil }
                ?? manifest.outputs.first { $0.hasSuffix(".png") && exists($0) }
            posters.append(Poster(latent: manifest.latent.name, image: image, manifestFile: name, manifest: manifest))
        }
        return GalleryIndex(folder: folder, posters: posters.sorted { $0.latent < $1.latent }, ignored: ignored)
    }

    /// `index.json`: every poster with its manifest. Manifest timings are left out, so re-indexing
    /// the same renders writes the same bytes.
    public func jsonData() throws -> Data {
        struct File: Encodable {
            var tool = ToolVersion.name
            var version = ToolVersion.current
            var count: Int
            var posters: [Poster]
        }
        let stable = posters.map { p -> Poster in
            var p = p
            p.manifest.timings = [:]
            return p
        }
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return try e.encode(File(count: posters.count, posters: stable))
    }

    /// Writes `index.json`, the contact sheet(s) with each poster's thumbnail, and `index.html`;
    /// returns the paths written.
    public func write(sheet: ContactSheet = ContactSheet()) throws -> [String] {
        let indexPath = (folder as NSString).appendingPathComponent(Self.fileName)
        try AtomicFile.write(try jsonData(), to: indexPath)
        let sheets = try sheet.write(posters, in: folder)
        let pagePath = (folder as NSString).appendingPathComponent(IndexPage.fileName)
        try AtomicFile.write(Data(try indexPage().html().utf8), to: pagePath)
        return [indexPath] + sheets + [pagePath]
    }

    /// `index.html`: every poster as a thumbnail linking to its data browser page (or its image).
    func indexPage() -> IndexPage {
        IndexPage(title: "\(posters.count) atlases", entries: posters.map { p in
            let m = p.manifest
            let page = m.outputs.first { $0.hasSuffix(".html") && FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0)) }
            return IndexPage.Entry(latent: p.latent, title: m.latent.title, explanation: m.latent.description,
                                   subtitle: [m.latent.model, m.latent.layer.map { "layer \($0)" }, m.latent.index.map { "latent \($0)" }]
                                       .compactMap { $0 }.joined(separator: " · "),
                                   contexts: m.contexts.count, link: page ?? p.image,
                                   thumbnail: p.image == nil ? nil : ContactSheet.thumbnailFile(p))
        })
    }
}
