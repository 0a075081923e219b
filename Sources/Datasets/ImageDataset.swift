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
        ImageDataset(
            images: images.rows(indices), labels: indices.map { labels[$0] }, classCount: classCount,
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
