import ArgumentParser
import Foundation

/// Prints an error as one sentence on stderr and exits 1 (64 is left to argument-parser for usage errors).
func fail(_ error: Error) -> ExitCode {
    // Our errors describe themselves in one sentence; Foundation's carry a localized description.
    let message = (error as? CocoaError)?.localizedDescription ?? String(describing: error)
    FileHandle.standardError.write(Data("atlas: error: \(message)\n".utf8))
    return ExitCode(1)
}

/// Writes progress to stderr only when it is a terminal, so pipes and CI logs stay clean.
struct Progress {
    let enabled = isatty(STDERR_FILENO) != 0

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
