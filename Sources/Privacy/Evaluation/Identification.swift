import MLCore

/// Scores reconstructed images against the people they should show.
///
/// Reconstructions are far darker and lower in contrast than photos, so every comparison here uses
/// standardised images (each image minus its mean, over its standard deviation): raw-pixel
/// distances would put identification at chance even for a plainly recognisable face.
public struct Identification: Sendable {
    /// Standardised gallery images, one per row (the attacker's reference photos).
    public let gallery: Matrix
    /// Subject of each gallery row.
    public let subjects: [Int]
    /// Number of subjects.
    public let subjectCount: Int
    private let galleryNorms: [Float]
    private let bySubject: [[Int]]

    /// A scorer over these gallery images (raw; they are standardised here).
    public init(gallery raw: Matrix, subjects: [Int], subjectCount: Int) {
        let g = Identification.standardizedRows(raw)
        gallery = g
        self.subjects = subjects
        self.subjectCount = subjectCount
        galleryNorms = (0..<g.rows).map { r in g.data[(r * g.cols)..<((r + 1) * g.cols)].reduce(0) { $0 + $1 * $1 } }
        var groups = [[Int]](repeating: [], count: subjectCount)
        for (r, s) in subjects.enumerated() { groups[s].append(r) }
        bySubject = groups
    }

    /// Each row minus its mean, over its standard deviation.
    public static func standardizedRows(_ m: Matrix) -> Matrix {
        var out = m
        for r in 0..<m.rows { out.setRow(r, Statistics.standardized(m.row(r))) }
        return out
    }

    /// Squared Euclidean distances between every standardised image and every gallery image
    /// (`images.rows x gallery.rows`), through one matrix product.
    public func distances(_ images: Matrix) -> Matrix {
        let z = Identification.standardizedRows(images)
        var d = Matrix.product(z, .none, gallery, .transposed)
        for r in 0..<z.rows {
            let norm = z.data[(r * z.cols)..<((r + 1) * z.cols)].reduce(0) { $0 + $1 * $1 }
            for c in 0..<gallery.rows { d[r, c] = norm + galleryNorms[c] - 2 * d[r, c] }
        }
        return d
    }

    /// The subject of the nearest gallery image, given that image's row of `distances`.
    public func nearestSubject(distances row: ArraySlice<Float>) -> Int {
        subjects[Statistics.argmax(row.map { -$0 }[...])]
    }

    /// The subject of the gallery image nearest to `image` (Euclidean, standardised).
    public func nearestSubject(_ image: [Float]) -> Int {
        let d = distances(Matrix(rows: 1, cols: image.count, data: image))
        return nearestSubject(distances: d.data[...])
    }

    /// The automatic line-up of the paper's user study: `trials` line-ups of one gallery image of
    /// `subject` and `size - 1` images of distinct other subjects, all drawn at random; the closest
    /// image is picked. Returns the share of line-ups where it is the subject's (chance: 1/size).
    public func lineupAccuracy(
        distances row: ArraySlice<Float>, subject: Int, trials: Int, size: Int = 5,
        using rng: inout SeededGenerator
    ) -> Double {
        let base = row.startIndex
        let others = (0..<subjectCount).filter { $0 != subject && !bySubject[$0].isEmpty }
        guard !bySubject[subject].isEmpty, others.count >= size - 1, trials > 0 else { return .nan }
        var correct = 0
        for _ in 0..<trials {
            let target = bySubject[subject][rng.nextInt(below: bySubject[subject].count)]
            var best = target
            for s in rng.sample(others, count: size - 1) {
                let c = bySubject[s][rng.nextInt(below: bySubject[s].count)]
                if row[base + c] < row[base + best] { best = c }
            }
            if best == target { correct += 1 }
        }
        return Double(correct) / Double(trials)
    }

    /// The line-up accuracy of one image (see `lineupAccuracy(distances:...)`).
    public func lineupAccuracy(
        _ image: [Float], subject: Int, trials: Int, size: Int = 5,
        using rng: inout SeededGenerator
    ) -> Double {
        let d = distances(Matrix(rows: 1, cols: image.count, data: image))
        return lineupAccuracy(distances: d.data[...], subject: subject, trials: trials, size: size, using: &rng)
    }
}
