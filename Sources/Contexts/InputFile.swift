import AtlasCore
import Foundation

/// The bytes of an input file split into lines, with the encoding problems every format shares
/// (BOM, CRLF, invalid UTF-8) found once.
struct InputFile {
    struct Line {
        var number: Int
        var bytes: [UInt8]
    }

    let path: String
    let bytes: [UInt8]
    /// Whether the file was gzip (the bytes are the inflated text).
    private(set) var gzipped = false
    var warnings: [InputWarning] = []

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            throw InputError.unreadable(InputLocation(file: path), reason: !exists ? "no such file" : isDir.boolValue ? "it is a folder" : "permission denied")
        }
        try self.init(path: path, data: data)
    }

    /// `data` is the file's bytes as stored (gzip is inflated here).
    init(path: String, data: Data) throws {
        self.path = path
        var b = [UInt8](data)
        if Gzip.isGzip(b) {
            do {
                b = try Gzip.inflate(b)
            } catch let Gzip.Failure.corrupt(reason) {
                throw InputError.unreadable(InputLocation(file: path), reason: "the gzip data is corrupt: \(reason)")
            } catch let Gzip.Failure.tooLarge(limit) {
                throw InputError.unreadable(InputLocation(file: path), reason: "it inflates to more than \(limit >> 30) GiB")
            }
            gzipped = true
        }
        if b.starts(with: [0xef, 0xbb, 0xbf]) {
            b.removeFirst(3)
            warnings.append(InputWarning(kind: .byteOrderMark, location: InputLocation(file: path, line: 1),
                                         message: "the file starts with a UTF-8 byte-order mark; it was ignored (save without BOM to silence this)"))
        }
        if b.starts(with: [0xff, 0xfe]) || b.starts(with: [0xfe, 0xff]) {
            throw InputError.invalidUTF8(InputLocation(file: path, line: 1), byteOffset: 0)
        }
        bytes = b
    }

    /// Lines without their terminators. CRLF endings are accepted, with one counted warning.
    mutating func lines() -> [Line] {
        var out: [Line] = []
        var start = 0
        var number = 1
        var crlf = 0
        var firstCRLF = 0
        for (i, byte) in bytes.enumerated() where byte == 0x0a {
            var end = i
            if end > start, bytes[end - 1] == 0x0d {
                end -= 1
                crlf += 1
                if firstCRLF == 0 { firstCRLF = number }
            }
            out.append(Line(number: number, bytes: Array(bytes[start..<end])))
            start = i + 1
            number += 1
        }
        if start < bytes.count {
            var end = bytes.count
            if bytes[end - 1] == 0x0d { end -= 1; crlf += 1; if firstCRLF == 0 { firstCRLF = number } }
            out.append(Line(number: number, bytes: Array(bytes[start..<end])))
        }
        if crlf > 0 {
            warnings.append(InputWarning(kind: .crlfLineEndings, location: InputLocation(file: path, line: firstCRLF),
                                         message: "\(crlf) line(s) end with CRLF (Windows line endings); they were read as LF"))
        }
        return out
    }

    /// Checks a line is UTF-8, naming the first bad byte.
    func validateUTF8(_ line: Line) throws {
        if String(validating: line.bytes, as: UTF8.self) != nil { return }
        var offset = 0
        var iterator = line.bytes.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(s): consumed += UTF8.width(s)
            case .emptyInput: break loop
            case .error: offset = consumed; break loop
            }
        }
        throw InputError.invalidUTF8(InputLocation(file: path, line: line.number), byteOffset: offset + 1)
    }

    /// Parses one line as JSON, turning syntax errors into input errors.
    func json(_ line: Line) throws -> JSONValue.Located {
        try validateUTF8(line)
        do {
            return try JSONParser.parse(line.bytes, firstLine: line.number)
        } catch let error as JSONSyntaxError {
            throw InputError.invalidJSON(InputLocation(file: path, line: error.line), column: error.column, reason: error.message)
        }
    }

    /// Parses the whole file as one JSON document.
    func json() throws -> JSONValue.Located {
        if String(validating: bytes, as: UTF8.self) == nil {
            var l = self
            for line in l.lines() { try validateUTF8(line) }
        }
        do {
            return try JSONParser.parse(bytes)
        } catch let error as JSONSyntaxError {
            throw InputError.invalidJSON(InputLocation(file: path, line: error.line), column: error.column, reason: error.message)
        }
    }
}

/// Typed access to JSON fields that throws input errors naming file, line and field.
struct FieldReader {
    let file: String
    let object: JSONValue.Located
    let prefix: String

    init(file: String, object: JSONValue.Located, prefix: String = "") throws {
        guard case .object = object.value else {
            throw InputError.wrongType(InputLocation(file: file, line: object.line, field: prefix.isEmpty ? nil : prefix), expected: "a JSON object", got: object.value.typeName)
        }
        self.file = file
        self.object = object
        self.prefix = prefix
    }

    var keys: [String] {
        if case let .object(f) = object.value { return f.map(\.key) }
        return []
    }

    func location(_ key: String, _ v: JSONValue.Located? = nil) -> InputLocation {
        InputLocation(file: file, line: v?.line ?? object.line, field: prefix + key)
    }

    func value(_ key: String) -> JSONValue.Located? {
        guard let v = object.value[key], v.value != .null else { return nil }
        return v
    }

    func string(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard case let .string(s) = v.value else { throw InputError.wrongType(location(key, v), expected: "a string", got: v.value.typeName) }
        return s
    }

    /// A string, or a number written as a string (ids, layers and indices come both ways).
    func label(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        switch v.value {
        case let .string(s): return s
        case let .number(n) where n == n.rounded(): return String(Int64(n))
        default: throw InputError.wrongType(location(key, v), expected: "a string or an integer", got: v.value.typeName)
        }
    }

    func number(_ key: String) throws -> Double? {
        guard let v = value(key) else { return nil }
        switch v.value {
        case let .number(n) where !n.isFinite: throw InputError.notFinite(location(key, v))
        case let .number(n): return n
        case let .string(s) where ["nan", "inf", "infinity", "-inf", "-infinity"].contains(s.lowercased()):
            throw InputError.notFinite(location(key, v))
        default: throw InputError.wrongType(location(key, v), expected: "a finite number", got: v.value.typeName)
        }
    }

    func integer(_ key: String) throws -> Int? {
        guard let n = try number(key) else { return nil }
        guard n == n.rounded(), abs(n) < 1e15 else {
            throw InputError.wrongType(location(key, value(key)), expected: "an integer", got: "\(n)")
        }
        return Int(n)
    }

    func array(_ key: String) throws -> [JSONValue.Located]? {
        guard let v = value(key) else { return nil }
        guard case let .array(items) = v.value else { throw InputError.wrongType(location(key, v), expected: "an array", got: v.value.typeName) }
        return items
    }

    func strings(_ key: String) throws -> [String]? {
        guard let items = try array(key) else { return nil }
        return try items.enumerated().map { i, item in
            guard case let .string(s) = item.value else {
                throw InputError.wrongType(location("\(key)[\(i)]", item), expected: "a string", got: item.value.typeName)
            }
            return s
        }
    }

    func numbers(_ key: String) throws -> [Double]? {
        guard let items = try array(key) else { return nil }
        return try items.enumerated().map { i, item in
            switch item.value {
            case let .number(n) where !n.isFinite: throw InputError.notFinite(location("\(key)[\(i)]", item))
            case let .number(n): return n
            case let .string(s) where ["nan", "inf", "infinity", "-inf", "-infinity"].contains(s.lowercased()):
                throw InputError.notFinite(location("\(key)[\(i)]", item))
            default:
                throw InputError.wrongType(location("\(key)[\(i)]", item), expected: "a finite number", got: item.value.typeName)
            }
        }
    }

    /// Warns about fields this format does not define, suggesting the nearest known one.
    func unknownFields(known: [String]) -> [InputWarning] {
        keys.filter { !known.contains($0) }.map { key in
            let hint = Suggestion.nearest(to: key, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            return InputWarning(kind: .unknownField, location: location(key, object.value[key]),
                                message: "unknown field '\(prefix + key)' was ignored\(hint)")
        }
    }

    /// Warns about NaN/Infinity in fields the reader does not use (Python's `json.dumps` writes them):
    /// harmless there, so not an error.
    func ignoredNonFinite(used: [String]) -> [InputWarning] {
        keys.filter { !used.contains($0) }.compactMap { key in
            guard let v = object.value[key], v.value.containsNonFinite else { return nil }
            return InputWarning(kind: .ignoredNonFinite, location: location(key, v),
                                message: "field '\(prefix + key)' holds NaN or Infinity; it is not used, so it was ignored")
        }
    }
}

extension JSONValue {
    var containsNonFinite: Bool {
        switch self {
        case let .number(n): return !n.isFinite
        case let .array(items): return items.contains { $0.value.containsNonFinite }
        case let .object(fields): return fields.contains { $0.value.value.containsNonFinite }
        default: return false
        }
    }
}
