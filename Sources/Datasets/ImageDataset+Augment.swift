import MLCore

extension ImageDataset {
    /// The images standardised one by one (minus the image's mean, over its standard deviation).
    public func standardized() -> ImageDataset {
        var out = images
        for r in 0..<images.rows { out.setRow(r, Statistics.standardized(images.row(r))) }
        return ImageDataset(images: out, labels: labels, classCount: classCount, width: width, height: height, sources: sources)
    }

    /// The dataset plus `copies` randomly shifted (up to `maxShift` pixels each way, edges repeated)
    /// and randomly mirrored versions of every image, for training a robust classifier.
    public func augmented(copies: Int, maxShift: Int, using rng: inout SeededGenerator) -> ImageDataset {
        var rows: [[Float]] = (0..<images.rows).map { images.row($0) }
        var newLabels = labels
        var newSources = sources
        for _ in 0..<copies {
            for r in 0..<images.rows {
                let dx = rng.nextInt(below: 2 * maxShift + 1) - maxShift
                let dy = rng.nextInt(below: 2 * maxShift + 1) - maxShift
                let flip = rng.nextInt(below: 2) == 1
                let src = images.row(r)
                var dst = [Float](repeating: 0, count: src.count)
                for y in 0..<height {
                    let sy = min(max(y - dy, 0), height - 1)
                    for x in 0..<width {
                        var sx = min(max(x - dx, 0), width - 1)
                        if flip { sx = width - 1 - sx }
                        dst[y * width + x] = src[sy * width + sx]
                    }
                }
                rows.append(dst)
                newLabels.append(labels[r])
                newSources.append(sources[r] + "+aug")
            }
        }
        return ImageDataset(
            images: Matrix(rowVectors: rows), labels: newLabels, classCount: classCount,
            width: width, height: height, sources: newSources)
    }
}
