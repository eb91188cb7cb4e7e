import AtlasCore

/// A self-contained HTML page: one inline stylesheet, at most one inline script, data only as
/// inline JSON, and a Content-Security-Policy that allows exactly those (by their SHA-256), images
/// from beside the page, and nothing from the network. Every page the tool writes is built here.
public struct HTMLDocument: Sendable {
    public var title: String
    public var stylesheet: String
    /// The page's own script, or nil for a page with none.
    public var script: String?
    /// Inline JSON blocks (`<script type="application/json" id="…">`), which never execute.
    public var data: [(id: String, json: String)]
    /// The body's markup, already escaped by whoever built it.
    public var body: String

    public init(title: String, stylesheet: String, script: String? = nil, data: [(id: String, json: String)] = [], body: String) {
        self.title = title
        self.stylesheet = stylesheet
        self.script = script
        self.data = data
        self.body = body
    }

    /// The policy: nothing by default; the inline style and script by hash; images and links to
    /// files beside the page; no plugins, forms, base URL or network connections.
    public var contentSecurityPolicy: String {
        var directives = [
            "default-src 'none'",
            "style-src 'sha256-\(SHA256.base64(stylesheet))'",
            "img-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ]
        directives.append(script.map { "script-src 'sha256-\(SHA256.base64($0))'" } ?? "script-src 'none'")
        return directives.joined(separator: "; ")
    }

    public func html() -> String {
        var s = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(Escaping.htmlAttribute(contentSecurityPolicy))">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(Escaping.htmlText(title))</title>
        <style>\(stylesheet)</style>
        </head>
        <body>
        \(body)

        """
        for block in data {
            s += "<script type=\"application/json\" id=\"\(Escaping.htmlAttribute(block.id))\">\(Escaping.jsonForScript(block.json))</script>\n"
        }
        if let script { s += "<script>\(script)</script>\n" }
        return s + "</body>\n</html>\n"
    }
}
