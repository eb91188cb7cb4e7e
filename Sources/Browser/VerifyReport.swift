import AtlasCore

/// `atlas verify`'s HTML report of the renders that differ from their goldens. It has no script at
/// all; every name and message is escaped for where it lands, and image URLs are percent-encoded,
/// so a file named `y" onerror="….png` is shown as its name and loads nothing but its images.
public struct VerifyReport: Sendable {
    public struct Failure: Sendable {
        /// The render's file name, as found on disk.
        public var name: String
        public var message: String
        /// The folder (inside the report folder) holding its reference/failure/difference images,
        /// when they were written.
        public var folder: String?

        public init(name: String, message: String, folder: String?) {
            self.name = name
            self.message = message
            self.folder = folder
        }
    }

    public var failures: [Failure]

    public init(failures: [Failure]) { self.failures = failures }

    static let stylesheet = """
    body{font:14px system-ui,sans-serif;margin:2em}img{max-width:32%;margin-right:1%;image-rendering:pixelated;border:1px solid #ccc}\
    h2{font-size:16px;margin-top:2em;unicode-bidi:isolate}p{color:#a00;unicode-bidi:isolate}
    """

    public func html() -> String {
        var body = "<h1>\(failures.count) render(s) differ from their goldens</h1>\n"
        for f in failures {
            body += "<h2>\(Escaping.htmlText(f.name))</h2><p>\(Escaping.htmlText(f.message))</p>\n"
            if let folder = f.folder {
                body += "<div>"
                for (file, caption) in [("reference.png", "golden"), ("failure.png", "render"), ("difference.png", "difference")] {
                    body += "<img src=\"\(Escaping.htmlAttribute(Escaping.urlPath([folder, file])))\" alt=\"\(caption)\" title=\"\(caption)\">"
                }
                body += "</div>\n"
            }
        }
        return HTMLDocument(title: "atlas verify: \(failures.count) failure(s)", stylesheet: Self.stylesheet, body: body).html()
    }
}
