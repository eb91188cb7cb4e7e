/// The header of a NumPy `.npy` array: magic, version, and the Python-literal dictionary with
/// `descr`, `fortran_order` and `shape`. Parsed as data, never evaluated: nothing is unpickled.
struct NumpyHeader: Equatable {
    var shape: [Int]
    var element: ElementType
    var fortranOrder: Bool
    /// Bytes from the file's start to the first data byte.
    var dataOffset: Int

    static let magic: [UInt8] = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY

    /// Bytes needed before the header's length is known.
    static let preludeLength = 12

    /// The header length announced by the prelude (magic, version, length field).
    static func dataOffset(prelude b: [UInt8], file: String, available: Int) throws -> Int {
        guard b.count >= 8 else { throw SelectError.truncated(file: file, needed: 10, available: available, what: "the NumPy header") }
        guard Array(b[0..<6]) == magic else {
            throw SelectError.badMagic(file: file, found: describe(Array(b[0..<6])), expected: "\\x93NUMPY (a NumPy .npy file)")
        }
        switch b[6] {
        case 1:
            guard b.count >= 10 else { throw SelectError.truncated(file: file, needed: 10, available: available, what: "the NumPy header") }
            return 10 + Int(b[8]) | Int(b[9]) << 8
        case 2, 3:
            guard b.count >= 12 else { throw SelectError.truncated(file: file, needed: 12, available: available, what: "the NumPy header") }
            return 12 + (Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24)
        default:
            throw SelectError.unsupportedVersion(file: file, version: "\(b[6]).\(b[7])")
        }
    }

    /// Parses a whole header (`bytes` holds at least `dataOffset` bytes).
    static func parse(_ bytes: [UInt8], file: String, available: Int) throws -> NumpyHeader {
        let offset = try dataOffset(prelude: Array(bytes.prefix(preludeLength)), file: file, available: available)
        guard bytes.count >= offset else {
            throw SelectError.truncated(file: file, needed: offset, available: available, what: "the NumPy header")
        }
        let start = bytes[6] == 1 ? 10 : 12
        let text = bytes[start..<offset]
        // Versions 1 and 2 are Latin-1/ASCII, 3 is UTF-8; the keys and values we read are ASCII.
        guard let s = String(bytes: text, encoding: bytes[6] == 3 ? .utf8 : .isoLatin1) else {
            throw SelectError.badHeader(file: file, reason: "the dictionary is not text")
        }
        var p = LiteralParser(text: Array(s.unicodeScalars), file: file)
        let dict = try p.dictionary()
        guard case let .string(descr)? = dict["descr"] else {
            if dict["descr"] != nil { throw SelectError.unsupportedDType(file: file, dtype: "a structured dtype") }
            throw SelectError.badHeader(file: file, reason: "no 'descr' entry")
        }
        guard case let .bool(fortran)? = dict["fortran_order"] else { throw SelectError.badHeader(file: file, reason: "no 'fortran_order' entry of True or False") }
        guard case let .tuple(shape)? = dict["shape"] else { throw SelectError.badHeader(file: file, reason: "no 'shape' tuple") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw SelectError.badHeader(file: file, reason: "a negative dimension in the shape") }
        return NumpyHeader(shape: shape, element: try element(descr, file: file), fortranOrder: fortran, dataOffset: offset)
    }

    static func element(_ descr: String, file: String) throws -> ElementType {
        let chars = Array(descr)
        guard chars.count >= 2 else { throw SelectError.unsupportedDType(file: file, dtype: "'\(descr)'") }
        let order = chars[0]
        let code = String(chars[1...])
        let big: Bool
        switch order {
        case "<", "|": big = false
        case ">": big = true
        case "=": big = false // native: every platform we build for is little-endian
        default: throw SelectError.unsupportedDType(file: file, dtype: "'\(descr)'")
        }
        switch code {
        case "f2": return ElementType(.float16, bigEndian: big)
        case "f4": return ElementType(.float32, bigEndian: big)
        case "f8": return ElementType(.float64, bigEndian: big)
        default: throw SelectError.unsupportedDType(file: file, dtype: "'\(descr)' (\(name(code)))")
        }
    }

    static func name(_ code: String) -> String {
        guard let kind = code.first else { return "unknown" }
        let bits = Int(code.dropFirst()).map { String($0 * 8) } ?? ""
        switch kind {
        case "i": return "int\(bits)"
        case "u": return "uint\(bits)"
        case "b": return "bool"
        case "c": return "complex\(bits)"
        case "O": return "Python objects"
        case "f": return "float\(bits)"
        case "U", "S": return "strings"
        case "V": return "raw bytes"
        case "M", "m": return "dates"
        default: return "unknown"
        }
    }

    static func describe(_ b: [UInt8]) -> String {
        "'" + b.map { (0x20..<0x7f).contains($0) ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16, uppercase: false).leftPad(2) }.joined() + "'"
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

/// The subset of Python literals a `.npy` header uses: a dict of string keys to strings,
/// True/False and tuples of integers.
struct LiteralParser {
    enum Value: Equatable { case string(String), bool(Bool), tuple([Int]), other }
    let text: [Unicode.Scalar]
    let file: String
    var i = 0

    init(text: [Unicode.Scalar], file: String) { self.text = text; self.file = file }

    mutating func fail(_ reason: String) -> SelectError { .badHeader(file: file, reason: reason) }

    mutating func skipSpace() { while i < text.count, text[i].properties.isWhitespace { i += 1 } }

    mutating func expect(_ c: Unicode.Scalar) throws {
        skipSpace()
        guard i < text.count, text[i] == c else { throw fail("expected '\(c)' at character \(i)") }
        i += 1
    }

    mutating func peek() -> Unicode.Scalar? { skipSpace(); return i < text.count ? text[i] : nil }

    mutating func dictionary() throws -> [String: Value] {
        try expect("{")
        var out: [String: Value] = [:]
        while peek() != "}" {
            guard case let .string(key) = try value() else { throw fail("a dictionary key that is not a string") }
            try expect(":")
            out[key] = try value()
            if peek() == "," { i += 1 } else { break }
        }
        try expect("}")
        return out
    }

    mutating func value() throws -> Value {
        guard let c = peek() else { throw fail("the dictionary ends early") }
        switch c {
        case "'", "\"":
            i += 1
            var s = ""
            while i < text.count, text[i] != c { s.unicodeScalars.append(text[i]); i += 1 }
            guard i < text.count else { throw fail("an unterminated string") }
            i += 1
            return .string(s)
        case "(":
            i += 1
            var dims: [Int] = []
            while peek() != ")" {
                var digits = ""
                while i < text.count, ("0"..."9").contains(text[i]) { digits.unicodeScalars.append(text[i]); i += 1 }
                if i < text.count, text[i] == "L" { i += 1 } // Python 2 longs
                guard let d = Int(digits) else { throw fail("a shape entry that is not a whole number") }
                dims.append(d)
                if peek() == "," { i += 1 } else { break }
            }
            try expect(")")
            return .tuple(dims)
        case "[":
            // A structured dtype's field list: skip it, balanced.
            var depth = 0
            repeat {
                if text[i] == "[" || text[i] == "(" { depth += 1 }
                if text[i] == "]" || text[i] == ")" { depth -= 1 }
                i += 1
            } while i < text.count && depth > 0
            return .other
        default:
            var word = ""
            while i < text.count, text[i].properties.isAlphabetic { word.unicodeScalars.append(text[i]); i += 1 }
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            default: throw fail("an unexpected value at character \(i)")
            }
        }
    }
}
