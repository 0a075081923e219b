import Foundation
import MLCore

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
