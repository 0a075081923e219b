/// Labelled examples for a classifier: one row of features per example, classes 0..<classCount.
public struct LabeledData: Sendable {
    /// A short name for tables (`location`, `uci_adult`, `mnist`, `att_faces`).
    public let name: String
    /// One example per row.
    public let features: Matrix
    /// The class of each row.
    public let labels: [Int]
    /// Number of classes.
    public let classCount: Int
    /// When every row is a grey image: its width and height (row-major pixels in [0, 1]).
    public let imageSize: (width: Int, height: Int)?

    /// Labelled rows; every label must lie in 0..<classCount.
    public init(name: String, features: Matrix, labels: [Int], classCount: Int, imageSize: (width: Int, height: Int)? = nil) {
        precondition(features.rows == labels.count, "LabeledData: \(features.rows) rows but \(labels.count) labels")
        self.name = name
        self.features = features
        self.labels = labels
        self.classCount = classCount
        self.imageSize = imageSize
    }

    /// Number of examples.
    public var count: Int { labels.count }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> LabeledData {
        LabeledData(
            name: name, features: features.rows(indices), labels: indices.map { labels[$0] }, classCount: classCount, imageSize: imageSize)
    }

    /// The rows of `self` followed by those of `other` (same features and classes).
    public func appending(_ other: LabeledData) -> LabeledData {
        precondition(other.features.cols == features.cols && other.classCount == classCount)
        return LabeledData(
            name: name, features: Matrix(rows: count + other.count, cols: features.cols, data: features.data + other.features.data),
            labels: labels + other.labels, classCount: classCount, imageSize: imageSize)
    }
}
