import ArgumentParser
import AtlasCore
import Encode
import Foundation
import Pipeline
import Styles

/// Exit statuses, as the root help lists them.
enum ExitStatus {
    static let failure: Int32 = 1
    /// `atlas diff` only: an image could not be read.
    static let unreadable: Int32 = 2
    static let usage: Int32 = 64
}

/// A mistake in how the command was called, found after argument parsing (a style that does not
/// exist, a `--set` that does not apply): exits 64 like argument-parser's own usage errors.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Whether `error` is the caller's mistake (64) rather than a failed input or render (1).
func isUsageError(_ error: Error) -> Bool {
    switch error {
    case is UsageError, is StyleError, is ValidationError, is PairError: return true
    case let e as PipelineError:
        if case .noSuchLatent = e { return true }
        return false
    default: return false
    }
}

/// Prints an error as one sentence on stderr and returns the exit status to throw: 64 for a usage
/// error, 1 otherwise.
func fail(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data("atlas: error: \(FileError.sentence(error))\n".utf8))
    return ExitCode(isUsageError(error) ? ExitStatus.usage : ExitStatus.failure)
}

/// Writes progress to stderr only when it is a terminal, so pipes and CI logs stay clean.
struct Progress {
    let enabled: Bool

    init(quiet: Bool = false) {
        enabled = !quiet && isatty(STDERR_FILENO) != 0
    }

    func callAsFunction(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\u{1b}[2K\r\(message)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\u{1b}[2K\r".utf8))
    }
}

func warn(_ message: String) {
    FileHandle.standardError.write(Data("atlas: \(message)\n".utf8))
}
