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
    /// Folder name in the store (`data/<name>/`).
    public let name: String
    /// Every file with its SHA-256.
    public let files: [CatalogFile]
    /// The canonical page describing the dataset.
    public let sourceURL: String
    /// A ZIP archive that unpacks to the files, downloadable without a login, if any.
    public let archiveURL: String?
    /// Licence or terms of use.
    public let licence: String
    /// How to cite it.
    public let citation: String

    /// A catalog entry.
    public init(name: String, files: [CatalogFile], sourceURL: String, archiveURL: String?, licence: String, citation: String) {
        self.name = name
        self.files = files
        self.sourceURL = sourceURL
        self.archiveURL = archiveURL
        self.licence = licence
        self.citation = citation
    }
}

/// The datasets the experiments use.
public enum Catalog {
    /// AT&T Laboratories Cambridge faces (formerly the ORL database): 40 subjects x 10 images, 92x112 8-bit grey PGM.
    public static let attFaces = CatalogEntry(
        name: "att_faces",
        files: attFacesFiles,
        sourceURL: "https://www.cl.cam.ac.uk/research/dtg/attarchive/facedatabase.html",
        archiveURL: "https://www.cl.cam.ac.uk/research/dtg/attarchive/pub/data/att_faces.zip",
        licence:
            "No formal licence; credit AT&T Laboratories Cambridge (Olivetti Research Laboratory). Photographs of real people: keep them inside the project.",
        citation: "F. Samaria and A. Harter, Parameterisation of a stochastic model for human face identification, "
            + "2nd IEEE Workshop on Applications of Computer Vision, 1994.")
}
