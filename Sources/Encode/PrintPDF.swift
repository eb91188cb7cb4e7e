import AtlasCore
import Foundation
import Graphics

/// Makes Cairo's PDF one a print lab accepts, by an incremental update (PDF's own way of editing a
/// file: new versions of objects appended after the original, with their own cross-reference
/// section pointing back to the first):
/// - the raster Cairo drew as a 2 × 2 placeholder scaled to the page becomes the full-resolution
///   raster at the output bit depth (16 in `exhibition`), compressed once on every core as
///   PNG-predicted Flate (`/Predictor 15`: the very stream a PNG's IDAT chunks hold) instead of
///   Cairo's serial 8-bit re-encoding;
/// - the image is tagged with the sRGB ICC profile and the catalog gets an OutputIntent naming it;
/// - the page gets a TrimBox (the trimmed page) inside a BleedBox (the raster: trim plus bleed)
///   inside Cairo's MediaBox (the raster plus the slug on every side, where the crop marks sit).
struct PrintPDF {
    /// The placeholder's size: 2 × 2 distinct pixels, so Cairo keeps it an image.
    static let placeholderSide = 2

    var widthPixels: Int
    var heightPixels: Int
    /// Bleed on each side, in pixels.
    var bleedPixels: Double
    /// The slug beyond the bleed on each side (the MediaBox is the raster plus it), in pixels.
    var slugPixels: Double = 0
    var dpi: Double
    var bitDepth: Int
    var level: Int
    var filter: PNGOptions.Filter
    var strategy: PNGOptions.Strategy = .default
    var threads: Int
    var profile: ColorProfile?

    enum Failure: Error, CustomStringConvertible {
        case unexpected(path: String, what: String)
        var description: String {
            switch self {
            case let .unexpected(path, what): return "cannot update the PDF '\(path)': \(what) not found in Cairo's output"
            }
        }
    }

    /// Appends the update to `path` (Cairo's finished PDF); `rows` streams the raster band by band
    /// into the writer it is given (8-bit bytes or native-endian UInt16 RGB rows).
    func update(_ path: String, rows: (FilteredDeflateStream) throws -> Void) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .isoLatin1) else {
            throw Failure.unexpected(path: path, what: "a readable file")
        }
        let s = Self.placeholderSide
        guard let image = Self.firstMatch(#"(\d+) 0 obj\s*<<[^>]*?/Subtype /Image\s*/Width \#(s)\s*/Height \#(s)\s"#, in: text),
              let page = Self.firstMatch(#"(\d+) 0 obj\s*<< /Type /Page\b"#, in: text),
              let catalog = Self.firstMatch(#"(\d+) 0 obj\s*<< /Type /Catalog\b"#, in: text),
              let size = Self.lastMatch(#"trailer\s*<<[^>]*?/Size (\d+)"#, in: text),
              let info = Self.lastMatch(#"trailer\s*<<[^>]*?/Info (\d+) 0 R"#, in: text),
              let startxref = Self.lastMatch(#"startxref\s+(\d+)"#, in: text),
              let pageDict = Self.objectBody(page, in: text), let catalogDict = Self.objectBody(catalog, in: text) else {
            throw Failure.unexpected(path: path, what: "the placeholder image, page, catalog or trailer")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var offset = try handle.seekToEnd()
        var offsets: [Int: UInt64] = [:]
        func put(_ string: String) throws {
            let bytes = Data(string.utf8)
            try handle.write(contentsOf: bytes)
            offset += UInt64(bytes.count)
        }
        func start(_ number: Int) throws {
            offsets[number] = offset
            try put("\(number) 0 obj\n")
        }
        try put("\n")
        var next = size
        // The ICC profile.
        var colorSpace = "/DeviceRGB"
        var profileNumber: Int?
        if let profile {
            let n = next; next += 1
            profileNumber = n
            try start(n)
            try put("<< /N 3 /Length \(profile.bytes.count) >>\nstream\n")
            try handle.write(contentsOf: Data(profile.bytes))
            offset += UInt64(profile.bytes.count)
            try put("\nendstream\nendobj\n")
            colorSpace = "[ /ICCBased \(n) 0 R ]"
        }
        // The raster, in place of the placeholder; its length follows as its own object.
        let lengthNumber = next; next += 1
        try start(image)
        try put("<< /Type /XObject /Subtype /Image /Width \(widthPixels) /Height \(heightPixels) /ColorSpace \(colorSpace)"
            + " /BitsPerComponent \(bitDepth) /Interpolate false /Filter /FlateDecode"
            + " /DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent \(bitDepth) /Columns \(widthPixels) >>"
            + " /Length \(lengthNumber) 0 R >>\nstream\n")
        var streamError: Error?
        let stream = FilteredDeflateStream(width: widthPixels, height: heightPixels, channels: 3, bitDepth: bitDepth, level: level,
                                           filter: filter, strategy: strategy, threads: threads, path: path) { bytes in
            do { try handle.write(contentsOf: Data(bytes)) } catch { streamError = error; throw error }
        }
        try rows(stream)
        if let streamError { throw streamError }
        guard stream.rowsWritten == heightPixels else { throw Failure.unexpected(path: path, what: "every raster row") }
        offset += UInt64(stream.compressedBytes)
        try put("\nendstream\nendobj\n")
        try start(lengthNumber)
        try put("\(stream.compressedBytes)\nendobj\n")
        // Page boxes, in points from the bottom left of the MediaBox.
        try start(page)
        try put(Self.inserting(" /TrimBox \(box(inset: slugPixels + bleedPixels)) /BleedBox \(box(inset: slugPixels))", into: pageDict) + "\nendobj\n")
        try start(catalog)
        let intents = profileNumber.map { n in
            ["GTS_PDFX", "GTS_PDFA1"].map {
                "<< /Type /OutputIntent /S /\($0) /OutputConditionIdentifier (sRGB IEC61966-2.1) /RegistryName (http://www.color.org)"
                    + " /Info (sRGB IEC61966-2.1) /DestOutputProfile \(n) 0 R >>"
            }.joined(separator: " ")
        }
        try put((intents.map { Self.inserting(" /OutputIntents [ \($0) ]", into: catalogDict) } ?? catalogDict) + "\nendobj\n")
        // The cross-reference section of the update, one subsection per object.
        let xref = offset
        var table = "xref\n"
        for (number, at) in offsets.sorted(by: { $0.key < $1.key }) {
            table += "\(number) 1\n" + String(repeating: "0", count: max(0, 10 - String(at).count)) + "\(at) 00000 n \n"
        }
        try put(table)
        try put("trailer\n<< /Size \(next) /Root \(catalog) 0 R /Info \(info) 0 R /Prev \(startxref) >>\nstartxref\n\(xref)\n%%EOF\n")
    }

    /// A box `inset` pixels inside the MediaBox on every side, in points: `[ x0 y0 x1 y1 ]`.
    func box(inset: Double) -> String {
        let pt = 72 / dpi
        let media = (Double(widthPixels) + 2 * slugPixels, Double(heightPixels) + 2 * slugPixels)
        let values = [inset, inset, media.0 - inset, media.1 - inset].map { Self.number($0 * pt) }
        return "[ " + values.joined(separator: " ") + " ]"
    }

    /// "12.5", "0", with at most 4 decimals (PDF reals have no exponent).
    static func number(_ v: Double) -> String {
        var t = String(format: "%.4f", v)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    /// The first capture group of the first (or last) match, as a number.
    static func firstMatch(_ pattern: String, in text: String) -> Int? { matches(pattern, in: text).first }
    static func lastMatch(_ pattern: String, in text: String) -> Int? { matches(pattern, in: text).last }

    private static func matches(_ pattern: String, in text: String) -> [Int] {
        guard let re = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap {
            Int(ns.substring(with: $0.range(at: 1)))
        }
    }

    /// What stands between `N 0 obj` and `endobj` of object `number` (a dictionary without a stream).
    static func objectBody(_ number: Int, in text: String) -> String? {
        let ns = text as NSString
        let head = ns.range(of: "\n\(number) 0 obj")
        guard head.location != NSNotFound else { return nil }
        let from = head.location + head.length
        let end = ns.range(of: "endobj", range: NSRange(location: from, length: ns.length - from))
        guard end.location != NSNotFound else { return nil }
        let body = ns.substring(with: NSRange(location: from, length: end.location - from)).trimmingCharacters(in: .whitespacesAndNewlines)
        return body.hasPrefix("<<") && !body.contains("stream") ? body : nil
    }

    /// `entries` inserted right after a dictionary's opening `<<`.
    static func inserting(_ entries: String, into dictionary: String) -> String {
        "<<" + entries + dictionary.dropFirst(2)
    }
}
