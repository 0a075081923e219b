/// A dataset could not be found, verified or parsed; every message names the file and the fix.
public enum DatasetError: Error, CustomStringConvertible, Sendable {
    /// The dataset is in none of the places searched.
    case missing(dataset: String, searched: [String], hint: String)
    /// A file's bytes do not match the catalog; `advice` says how to get a good copy of this dataset.
    case checksumMismatch(file: String, expected: String, actual: String, advice: String)
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
        case .checksumMismatch(let file, let expected, let actual, let advice):
            return "\(file): SHA-256 mismatch (expected \(expected), got \(actual)). The file is corrupt or a different version. \(advice)"
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
