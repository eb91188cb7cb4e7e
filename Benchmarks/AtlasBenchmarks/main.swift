// `make bench` runs every benchmark; `make bench ARGS="layout"` (or decode, compare, composite, batch, painting, select, browser, table, exhibition) runs one.
// `table` is the performance table: whole processes beside their peers from the same run.
#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let suites: [(name: String, run: ([String]) -> Void)] = [
    ("layout", { LayoutBenchmark.run(arguments: $0) }),
    ("decode", { DecodeBenchmark.run(arguments: $0) }),
    ("compare", { CompareBenchmark.run(arguments: $0) }),
    ("composite", { CompositeBenchmark.run(arguments: $0) }),
    ("batch", { BatchBenchmark.run(arguments: $0) }),
    ("painting", { PaintingBenchmark.run(arguments: $0) }),
    ("select", { SelectBenchmark.run(arguments: $0) }),
    ("browser", { BrowserBenchmark.run(arguments: $0) }),
    ("table", { TableBenchmark.run(arguments: $0) }),
    ("exhibition", { ExhibitionBenchmark.run(arguments: $0) }),
]
if let name = arguments.first {
    guard let suite = suites.first(where: { $0.name == name }) else {
        print("unknown benchmark '\(name)'; expected one of: \(suites.map(\.name).joined(separator: ", "))")
        exit(64)
    }
    suite.run(Array(arguments.dropFirst()))
} else {
    for suite in suites {
        print("== \(suite.name)")
        suite.run([])
    }
}
