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
                rows.append(shifted(r, dx: dx, dy: dy, mirrored: flip))
                newLabels.append(labels[r])
                newSources.append(sources[r] + "+aug")
            }
        }
        return ImageDataset(
            images: Matrix(rowVectors: rows), labels: newLabels, classCount: classCount,
            width: width, height: height, sources: newSources)
    }
}

extension ImageDataset {
    /// A photo as a camera would give it again: shifted up to `maxShift` pixels each way (edges repeated), its
    /// brightness scaled by up to `brightness` either way, and Gaussian noise of standard deviation `noise` added,
    /// clamped to [0, 1]. The ordinary variation of benign queries and of an attacker's public inputs.
    public func varied(
        _ r: Int, maxShift: Int = 3, brightness: Float = 0.2, noise: Float = 0.02, using rng: inout SeededGenerator
    ) -> [Float] {
        let dx = rng.nextInt(below: 2 * maxShift + 1) - maxShift
        let dy = rng.nextInt(below: 2 * maxShift + 1) - maxShift
        let gain = 1 + brightness * (2 * rng.nextUniform() - 1)
        var dst = shifted(r, dx: dx, dy: dy, mirrored: false)
        for i in dst.indices { dst[i] = min(max(dst[i] * gain + noise * rng.nextNormal(), 0), 1) }
        return dst
    }

    /// Image `r` moved by (dx, dy) pixels with its edges repeated, then mirrored left-right when asked.
    func shifted(_ r: Int, dx: Int, dy: Int, mirrored: Bool) -> [Float] {
        let src = images.row(r)
        var dst = [Float](repeating: 0, count: src.count)
        for y in 0..<height {
            let sy = min(max(y - dy, 0), height - 1)
            for x in 0..<width {
                var sx = min(max(x - dx, 0), width - 1)
                if mirrored { sx = width - 1 - sx }
                dst[y * width + x] = src[sy * width + sx]
            }
        }
        return dst
    }
}
