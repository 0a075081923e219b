/// One file of a dataset, with the checksum it must have.
public struct CatalogFile: Sendable, Equatable {
    /// Path inside the dataset's folder, with `/` separators.
    public let path: String
    /// Lowercase hex SHA-256 of the file's bytes.
    public let sha256: String

    /// A catalog file.
    public init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }
}

/// What the project knows about one dataset: its files, where it comes from, how to cite it.
public struct CatalogEntry: Sendable {
    /// Where the list of files and checksums comes from.
    public enum Checksums: Sendable {
        /// A list shipped with the package (`Sources/Datasets/Checksums/<file>`) and the list's own pinned SHA-256.
        case resource(file: String, sha256: String)
        /// Files given in code (tests and hand-made datasets).
        case inline([CatalogFile])
    }

    /// Folder name in the store (`data/<name>/`).
    public let name: String
    /// The list of files with their SHA-256.
    public let checksums: Checksums
    /// The canonical page describing the dataset.
    public let sourceURL: String
    /// A ZIP archive that unpacks to the files, downloadable without a login, if any.
    public let archiveURL: String?
    /// Licence or terms of use.
    public let licence: String
    /// How to cite it.
    public let citation: String

    /// A catalog entry whose files come from a checksum list.
    public init(name: String, checksums: Checksums, sourceURL: String, archiveURL: String?, licence: String, citation: String) {
        self.name = name
        self.checksums = checksums
        self.sourceURL = sourceURL
        self.archiveURL = archiveURL
        self.licence = licence
        self.citation = citation
    }

    /// A catalog entry with its files given in code.
    public init(name: String, files: [CatalogFile], sourceURL: String, archiveURL: String?, licence: String, citation: String) {
        self.init(name: name, checksums: .inline(files), sourceURL: sourceURL, archiveURL: archiveURL, licence: licence, citation: citation)
    }

    /// Every file with its SHA-256 (a shipped list is read and checked against its pinned digest first).
    public func files() throws -> [CatalogFile] {
        switch checksums {
        case .resource(let file, let sha256): return try ChecksumList.resource(file, sha256: sha256)
        case .inline(let files): return files
        }
    }

    /// A digest that names exactly this list of files and checksums (for config.csv): the pinned SHA-256
    /// of a shipped list, or the SHA-256 of the same lines for a list given in code.
    public var catalogDigest: String {
        switch checksums {
        case .resource(_, let sha256): return sha256
        case .inline(let files):
            let lines = files.sorted { $0.path < $1.path }.map { "\($0.sha256)  \($0.path)\n" }.joined()
            return SHA256Digest.hex(Array(lines.utf8))
        }
    }

    /// What to do about a damaged or missing copy: download again where the store can, else copy by hand.
    var repairAdvice: String {
        archiveURL == nil
            ? "The store cannot download this dataset: copy the file again from \(sourceURL)."
            : "Delete the dataset's folder and run again to let the store download it, or copy it again from \(sourceURL)."
    }
}

/// The datasets the experiments use.
public enum Catalog {
    /// AT&T Laboratories Cambridge faces (formerly the ORL database): 40 subjects x 10 images, 92x112 8-bit grey PGM.
    public static let attFaces = CatalogEntry(
        name: "att_faces",
        checksums: .resource(file: "att_faces.sha256", sha256: "22798a9e192f149a3cc655298b8f8e04091958ea260410f01b6812d05d7c61ff"),
        sourceURL: "https://www.cl.cam.ac.uk/research/dtg/attarchive/facedatabase.html",
        archiveURL: "https://www.cl.cam.ac.uk/research/dtg/attarchive/pub/data/att_faces.zip",
        licence:
            "No formal licence; credit AT&T Laboratories Cambridge (Olivetti Research Laboratory). Photographs of real people: keep them inside the project.",
        citation: "F. Samaria and A. Harter, Parameterisation of a stochastic model for human face identification, "
            + "2nd IEEE Workshop on Applications of Computer Vision, 1994.")
}
