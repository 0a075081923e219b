/// A dataset could not be found, verified or parsed; every message names the file and the fix.
public enum DatasetError: Error, CustomStringConvertible, Sendable {
    /// The dataset is in none of the places searched.
    case missing(dataset: String, searched: [String], hint: String)
    /// A file's bytes do not match the catalog.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// A file could not be read at all.
    case unreadable(file: String, reason: String)
    /// A file's contents break its format.
    case malformed(file: String, reason: String)
    /// A download failed.
    case download(url: String, reason: String)

    /// The user-facing message.
    public var description: String {
        switch self {
        case .missing(let dataset, let searched, let hint):
            return "dataset '\(dataset)' was not found. Searched: \(searched.joined(separator: "; ")). \(hint)"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file): SHA-256 mismatch (expected \(expected), got \(actual)). The file is corrupt or a different version; "
                + "delete it and copy it again from the dataset's source (or remove the folder to let the store download it)."
        case .unreadable(let file, let reason):
            return "\(file): cannot be read (\(reason)). Check that it exists and is readable."
        case .malformed(let file, let reason):
            return "\(file): \(reason). The file is damaged; replace it with a fresh copy of the dataset."
        case .download(let url, let reason):
            return
                "download of \(url) failed: \(reason). Check the address and the network, or copy the dataset by hand and pass --data DIR."
        }
    }
}
