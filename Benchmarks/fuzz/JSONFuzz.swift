// libFuzzer target over the strict JSON parser of Sources/Contexts/JSONValue.swift, fed the way the
// JSONL reader feeds it (one line at a time) and as a whole document. It must throw a positioned
// JSONSyntaxError or return a value, never crash; positions stay inside the text. Built by run.sh
// with `swiftc -sanitize=fuzzer,address` from the parser's own source file.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    check(bytes, firstLine: 1)
    var line = 1
    for piece in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        check(Array(piece), firstLine: line)
        line += 1
    }
    return 0
}

private func check(_ bytes: [UInt8], firstLine: Int) {
    do {
        let value = try JSONParser.parse(bytes, firstLine: firstLine)
        precondition(value.line >= firstLine, "a value placed before its text")
    } catch let error as JSONSyntaxError {
        let lines = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        precondition(error.line >= firstLine && error.line < firstLine + lines + 1 && error.column >= 1,
                     "error position \(error.line):\(error.column) outside the text")
        precondition(!error.message.isEmpty)
    } catch {
        preconditionFailure("the parser threw \(type(of: error)), not a JSONSyntaxError")
    }
}
