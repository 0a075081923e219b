import Foundation
import MLCore

/// Labelled images, one per row, with the image size so rows can be shown as pictures.
public struct ImageDataset: Sendable {
    /// One image per row, grey values in [0, 1].
    public let images: Matrix
    /// Class of each row, 0-based.
    public let labels: [Int]
    /// Number of classes.
    public let classCount: Int
    /// Image width.
    public let width: Int
    /// Image height.
    public let height: Int
    /// Where each row came from (e.g. `s1/1.pgm`).
    public let sources: [String]

    /// A dataset.
    public init(images: Matrix, labels: [Int], classCount: Int, width: Int, height: Int, sources: [String]) {
        self.images = images
        self.labels = labels
        self.classCount = classCount
        self.width = width
        self.height = height
        self.sources = sources
    }

    /// The rows at `indices`.
    public func subset(_ indices: [Int]) -> ImageDataset {
        ImageDataset(images: images.rows(indices), labels: indices.map { labels[$0] }, classCount: classCount,
                     width: width, height: height, sources: indices.map { sources[$0] })
    }

    /// A seeded split that puts `trainPerClass` images of each class in training and the rest in test.
    public func splitPerClass(trainPerClass: Int, using rng: inout SeededGenerator) -> (train: ImageDataset, test: ImageDataset) {
        var train: [Int] = []
        var test: [Int] = []
        for c in 0..<classCount {
            var members = labels.indices.filter { labels[$0] == c }
            rng.shuffle(&members)
            let k = min(trainPerClass, members.count)
            train += members[0..<k].sorted()
            test += members[k...].sorted()
        }
        return (subset(train), subset(test))
    }
}

/// Loads the AT&T faces from the store: 400 images, subjects s1..s40 as labels 0..39.
public enum ATTFaces {
    /// Image width in pixels.
    public static let width = 92
    /// Image height in pixels.
    public static let height = 112

    /// Locates, verifies and parses the 400 images.
    public static func load(from store: DatasetStore) throws -> ImageDataset {
        let dir = try store.locate(Catalog.attFaces)
        return try load(folder: dir)
    }

    /// Parses the 400 images of an already verified folder.
    public static func load(folder dir: String) throws -> ImageDataset {
        var images = Matrix(rows: 400, cols: width * height)
        var labels: [Int] = []
        var sources: [String] = []
        for s in 1...40 {
            for i in 1...10 {
                let rel = "s\(s)/\(i).pgm"
                let path = (dir as NSString).appendingPathComponent(rel)
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw DatasetError.unreadable(file: path, reason: "missing or not readable")
                }
                let img = try PGM.parse([UInt8](data), file: path)
                guard img.width == width, img.height == height else {
                    throw DatasetError.malformed(file: path, reason: "is \(img.width)x\(img.height), expected \(width)x\(height)")
                }
                images.setRow(labels.count, img.values)
                labels.append(s - 1)
                sources.append(rel)
            }
        }
        return ImageDataset(images: images, labels: labels, classCount: 40, width: width, height: height, sources: sources)
    }
}
