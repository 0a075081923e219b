import Learning
import MLCore

/// The generic black-box inversion attack: the attacker queries the served model on images it holds (its
/// background knowledge), and trains a decoder from the answers to the images under squared error; any answer the
/// API gives afterwards, for a private photo or a fully confident class, decodes into an image.
///
/// Truncation: an API that releases only the k largest confidences (`OutputPolicy.topK`) answers the auxiliary
/// queries truncated too, so the decoder learns from what is released ("alignment"); an attacker facing full
/// answers may still truncate them itself (`trainingTruncation`), and a decoder trained on full vectors can be
/// set against truncated ones (the mismatched case).
///
/// Reference: Z. Yang, J. Zhang, E.-C. Chang, Z. Liang, "Neural Network Inversion in Adversarial Setting via
/// Background Knowledge Alignment", CCS 2019. doi:10.1145/3319535.3354261
///
/// Deviations: the decoder is a dense network (hidden ReLU layers, sigmoid output), not the paper's transposed
/// convolutions; the truncated vector is fed as released (zeros for the dropped classes), not renormalised.
public struct LearnedInversion: Sendable {
    /// Hidden widths of the decoder (ReLU), answer in, image out (sigmoid).
    public var hidden: [Int]
    /// How the decoder is trained (Adam on squared error by default).
    public var training: TrainingSettings
    /// Classes the attacker keeps of each answer (the k largest, the rest zeroed) before training on it and before
    /// decoding; nil keeps whatever the API released.
    public var trainingTruncation: Int?

    /// The attack with a decoder of `hidden` widths trained under `training`.
    public init(hidden: [Int] = [1000], training: TrainingSettings, trainingTruncation: Int? = nil) {
        self.hidden = hidden
        self.training = training
        self.trainingTruncation = trainingTruncation
    }

    /// Queries `oracle` once on every row of `auxiliary` (counted for `client`) and trains the decoder from the
    /// answers to those rows. `onEpoch(epoch, loss)` reports training.
    public func train(
        oracle: any ClassOracle, auxiliary: Matrix, client: String = "attacker", using rng: inout SeededGenerator,
        onEpoch: (Int, Float) -> Void = { _, _ in }
    ) throws -> InversionModel {
        guard hidden.allSatisfy({ $0 >= 1 }) else {
            throw AttackError(description: "learned inversion: hidden widths must be at least 1 (got \(hidden))")
        }
        if let k = trainingTruncation, !(1...oracle.classCount).contains(k) {
            throw AttackError(description: "learned inversion: truncation keeps k in 1...\(oracle.classCount) classes (got \(k))")
        }
        guard auxiliary.rows >= 1, auxiliary.cols == oracle.inputSize else {
            throw AttackError(
                description:
                    "learned inversion: the auxiliary set has \(auxiliary.rows) rows of \(auxiliary.cols) values; the model takes \(oracle.inputSize)"
            )
        }
        let before = oracle.queries
        let answers = InversionModel.truncated(try oracle.query(auxiliary, client: client), keeping: trainingTruncation)
        var layers: [any Layer] = []
        var width = oracle.classCount
        for h in hidden {
            layers += [Dense(inputs: width, outputs: h, using: &rng), Activation.relu]
            width = h
        }
        layers += [Dense(inputs: width, outputs: auxiliary.cols, using: &rng), Activation.sigmoid]
        let decoder = try Trainer(training).fit(
            Decoder(Network(layers: layers)), codes: answers, outputs: auxiliary, loss: .squaredError, using: &rng, onEpoch: onEpoch)
        return InversionModel(decoder: decoder, truncation: trainingTruncation, trainingQueries: oracle.queries - before)
    }
}

/// A trained inversion model: a decoder from (truncated) answers to images.
public struct InversionModel: Sendable {
    /// Answer in, image out.
    public let decoder: Decoder
    /// Classes kept of each answer before decoding (nil: as released).
    public let truncation: Int?
    /// Queries spent on the auxiliary images.
    public let trainingQueries: Int

    /// A model of this decoder and truncation.
    public init(decoder: Decoder, truncation: Int?, trainingQueries: Int) {
        self.decoder = decoder
        self.truncation = truncation
        self.trainingQueries = trainingQueries
    }

    /// `answers` with each row's k largest values kept and the others zeroed (unchanged for nil).
    public static func truncated(_ answers: Matrix, keeping k: Int?) -> Matrix {
        guard let k, k < answers.cols else { return answers }
        var out = answers
        for r in 0..<answers.rows { out.setRow(r, OutputPolicy.topK(k).apply(answers.data[(r * answers.cols)..<((r + 1) * answers.cols)])) }
        return out
    }

    /// The image for each row of answers.
    public func reconstruct(_ answers: Matrix) -> Matrix {
        decoder.decode(Self.truncated(answers, keeping: truncation))
    }

    /// Per photo: the API's answer on each row of `photos` (one counted query each, for `client`) decoded into an
    /// image; `labels` are the photos' subjects, whose confidence in the answer each reconstruction records.
    public func invert(photos: Matrix, labels: [Int], oracle: any ClassOracle, client: String = "attacker") throws -> [Reconstruction] {
        guard photos.rows == labels.count else {
            throw AttackError(description: "learned inversion: \(photos.rows) photos but \(labels.count) labels")
        }
        let answers = try oracle.query(photos, client: client)
        return reconstructions(answers, labels: labels, queries: 1)
    }

    /// Per class: the answer of a fully confident class c (1 on c, 0 elsewhere) decoded into an image; nothing is
    /// queried.
    public func invert(classes: [Int], classCount: Int) throws -> [Reconstruction] {
        if let bad = classes.first(where: { $0 < 0 || $0 >= classCount }) {
            throw AttackError(description: "learned inversion: class \(bad) outside 0..<\(classCount)")
        }
        var answers = Matrix(rows: classes.count, cols: classCount)
        for (r, c) in classes.enumerated() { answers[r, c] = 1 }
        return reconstructions(answers, labels: classes, queries: 0)
    }

    private func reconstructions(_ answers: Matrix, labels: [Int], queries: Int) -> [Reconstruction] {
        let images = reconstruct(answers)
        return labels.enumerated().map { r, label in
            let p = answers[r, label]
            return Reconstruction(
                label: label, image: images.row(r), confidence: p, cost: 1 - p, iterations: 0, stopReason: .decoded, queries: queries)
        }
    }
}
