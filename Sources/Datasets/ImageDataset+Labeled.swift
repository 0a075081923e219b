import MLCore

extension ImageDataset {
    /// The images as labelled rows.
    public func labeled(name: String) -> LabeledData {
        LabeledData(name: name, features: images, labels: labels, classCount: classCount, imageSize: (width, height))
    }
}
