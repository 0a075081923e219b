import Foundation

/// Finds the package's root folder, so `out/` and `data/` mean the same place wherever a run starts
/// (`swift run` from `Sources/` must not write `Sources/out/`).
public enum PackageRoot {
    /// The root of the InversionLab checkout holding the running executable (it lives in `.build/…`), else the
    /// one holding the current folder, else nil.
    public static func find(
        executable: String = executablePath(), currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String? {
        enclosingRoot(of: (executable as NSString).deletingLastPathComponent) ?? enclosingRoot(of: currentDirectory)
    }

    /// `relative` under the package root, or under the current folder when the run is outside any checkout.
    public static func path(_ relative: String) -> String {
        ((find() ?? FileManager.default.currentDirectoryPath) as NSString).appendingPathComponent(relative)
    }

    /// The nearest folder at or above `folder` whose `Package.swift` declares the InversionLab package.
    public static func enclosingRoot(of folder: String) -> String? {
        var current = (folder as NSString).standardizingPath
        while true {
            let manifest = (current as NSString).appendingPathComponent("Package.swift")
            if let text = try? String(contentsOfFile: manifest, encoding: .utf8), text.contains("name: \"InversionLab\"") {
                return current
            }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return nil }
            current = parent
        }
    }

    /// The running executable's path, symbolic links resolved.
    public static func executablePath() -> String {
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return link }
        let argument = CommandLine.arguments.first ?? "."
        return URL(fileURLWithPath: argument).resolvingSymlinksInPath().path
    }
}
