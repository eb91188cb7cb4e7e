import Foundation

/// Where the files `atlas` reads at run time (the style presets in `Styles/`, the private font
/// configuration `Fonts/fonts.conf`) are, found from the running executable rather than from where
/// it was compiled, so an installed or copied binary keeps working wherever its checkout goes:
///
/// - an installed binary, `<prefix>/bin/atlas`, reads `<prefix>/share/latentatlas/` (`make install`);
/// - a binary in a build folder (`<checkout>/.build/<triple>/<configuration>/atlas`, or a test
///   runner beside it) reads the checkout that folder belongs to.
///
/// The nearest folder wins, walking up from the executable's own folder.
public enum Resources {
    /// The folder holding `Styles/` and `Fonts/`, or `nil` when the executable sits in neither layout.
    public static let directory: String? = executablePath.flatMap { locate(executable: $0) }

    /// `directory/relative`, when there is a resource folder.
    public static func path(_ relative: String) -> String? {
        directory.map { ($0 as NSString).appendingPathComponent(relative) }
    }

    /// What `directory` looks for, walking up from the folder of `executable` (an absolute path).
    static func locate(executable: String) -> String? {
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent().standardized
        while true {
            let installed = folder.appendingPathComponent("share/latentatlas")
            if isResourceFolder(installed) { return installed.path }
            if isResourceFolder(folder), exists(folder.appendingPathComponent("Package.swift")) { return folder.path }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The marker of a resource folder: the base style every preset extends.
    static func isResourceFolder(_ folder: URL) -> Bool {
        exists(folder.appendingPathComponent("Styles/_base.yaml"))
    }

    private static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }

    /// The running executable with symbolic links resolved (Linux's `/proc/self/exe`), else Foundation's idea of it.
    static var executablePath: String? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return target }
        return Bundle.main.executableURL?.resolvingSymlinksInPath().path
    }
}
