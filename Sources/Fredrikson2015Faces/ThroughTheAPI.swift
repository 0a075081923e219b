// The attacks that reach a face recogniser only through its API: black-box MI-Face with finite differences, a
// surrogate stolen from the answers and inverted white-box, each at a rounding of the answers; and the query
// monitor that watches the clients.

import Datasets
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

/// How an attacker reached the model: white-box, or through the API by finite differences or a stolen surrogate.
enum APIAttack: String, CustomStringConvertible {
    case blackBox = "black_box"
    case surrogate
    case whiteBox = "white_box"

    /// The name in tables.
    var description: String { rawValue }
}

/// How each attack got its gradients: the model's own, a finite-difference estimator, or a surrogate stolen by
/// equation solving or by retraining on public photos.
enum APIMethod: Equatable, CustomStringConvertible {
    case whiteBox
    case finiteDifferences(FiniteDifferences)
    case equationSolving
    case retraining(photos: Int)

    /// The attack this method belongs to.
    var attack: APIAttack {
        switch self {
        case .whiteBox: return .whiteBox
        case .finiteDifferences: return .blackBox
        case .equationSolving, .retraining: return .surrogate
        }
    }

    /// The name in tables (`white-box`, `blocks-8`, `equation_solving`, `retraining_200`).
    var description: String {
        switch self {
        case .whiteBox: return "white-box"
        case .finiteDifferences(let fd): return fd.description
        case .equationSolving: return "equation_solving"
        case .retraining(let n): return "retraining_\(n)"
        }
    }
}

/// One MI-Face run against one model at one rounding of the oracle's answers.
struct APIAttackRun {
    /// The target model.
    let model: FaceModel
    /// How the attack got its gradients.
    let method: APIMethod
    /// Black-box, surrogate or white-box.
    var attack: APIAttack { method.attack }
    /// The rounding step of the answers (0: unrounded).
    let rounding: Float
    let inversions: [Reconstruction]
    /// Every query the oracle counted for this run (the extraction's included).
    let oracleQueries: Int
    /// Queries spent on stealing the model (surrogate only).
    let extractionQueries: Int
    let seconds: Double
    /// Test images on which the surrogate and the target agree (surrogate only).
    var agreement: Double?
    /// Largest weight error of an equation-solving copy, relative to the largest weight (softmax only).
    var weightError: Double?
    var scores: [ImageScore] = []

    var labels: [Int] { inversions.map(\.label) }
    var images: Matrix { Matrix(rowVectors: inversions.map(\.image)) }
    var queriesPerFace: Double { Double(oracleQueries) / Double(max(inversions.count, 1)) }
    var failedFaces: Int { inversions.filter(\.failed).count }
    var meanIterations: Double { Double(inversions.map(\.iterations).reduce(0, +)) / Double(max(inversions.count, 1)) }
    var meanConfidence: Double { inversions.map { Double($0.confidence) }.reduce(0, +) / Double(max(inversions.count, 1)) }
}

/// The oracle's output policy for a rounding step (0: the full confidences).
func roundingPolicy(_ r: Float) -> OutputPolicy { r > 0 ? .rounded(r) : .full }

/// The name of a rounding step in tables (`none`, `0.01`).
func roundingName(_ r: Float) -> String { r > 0 ? String(r) : "none" }

enum APIAttacks {
    /// Black-box MI-Face: every gradient from the oracle's answers.
    static func blackBox(
        _ m: TrainedModel, attack: MIFace, estimator: FiniteDifferences, labels: [Int], rounding: Float, quiet: Bool = false
    ) throws -> APIAttackRun {
        let oracle = try BlackBoxOracle(m.network, policy: roundingPolicy(rounding))
        let bar = quiet ? nil : Progress("black-box \(m.name) \(estimator) r=\(roundingName(rounding))", total: labels.count, unit: "faces")
        let start = Date()
        let inversions = try attack.run(labels: labels, oracle: oracle, estimator: estimator) { done, _ in bar?.update(done) }
        let seconds = Date().timeIntervalSince(start)
        bar?.finish()
        return APIAttackRun(
            model: m.kind, method: .finiteDifferences(estimator), rounding: rounding, inversions: inversions,
            oracleQueries: oracle.queries, extractionQueries: 0, seconds: seconds)
    }

    /// White-box MI-Face beside an API that rounds by `rounding` (which white-box access never sees).
    static func whiteBox(_ m: TrainedModel, attack: MIFace, labels: [Int], rounding: Float) throws -> APIAttackRun {
        let oracle = WhiteBoxOracle(m.network)
        let start = Date()
        let inversions = try attack.run(labels: labels, oracle: oracle)
        return APIAttackRun(
            model: m.kind, method: .whiteBox, rounding: rounding, inversions: inversions,
            oracleQueries: oracle.queries, extractionQueries: 0, seconds: Date().timeIntervalSince(start))
    }

    /// A surrogate of the model stolen through a rounded oracle, then inverted white-box: equation solving for
    /// softmax regression, retraining on `publicInputs` for the MLP.
    static func surrogate(
        _ m: TrainedModel, attack: MIFace, labels: [Int], rounding: Float, publicInputs: Matrix, surrogateHidden: Int,
        surrogateEpochs: Int, test: ImageDataset, using rng: inout SeededGenerator
    ) throws -> APIAttackRun {
        let oracle = try BlackBoxOracle(m.network, policy: roundingPolicy(rounding))
        let start = Date()
        let stolen: StolenModel
        let method: APIMethod
        var weightError: Double?
        if m.kind == .softmax {
            stolen = try EquationSolving().extract(from: oracle)
            method = .equationSolving
            weightError = relativeWeightError(stolen.network, of: m.network)
        } else {
            let initial = NeuralClassifier.mlp(
                inputs: publicInputs.cols, hidden: surrogateHidden, classes: m.network.classCount, using: &rng)
            let settings = TrainingSettings(epochs: surrogateEpochs, batchSize: 40, learningRate: 0.001, optimizer: .adam)
            stolen = try RetrainingExtraction(settings: settings).extract(start: initial, inputs: publicInputs, from: oracle, using: &rng)
            method = .retraining(photos: publicInputs.rows)
        }
        let inversions = try attack.run(labels: labels, holding: stolen.network)
        let seconds = Date().timeIntervalSince(start)
        let agreement = stolen.network.accuracy(test.images, labels: m.network.predict(test.images))
        return APIAttackRun(
            model: m.kind, method: method, rounding: rounding, inversions: inversions,
            oracleQueries: oracle.queries, extractionQueries: stolen.queries, seconds: seconds, agreement: agreement,
            weightError: weightError)
    }

    /// The largest difference between a softmax copy's weights and the target's, both shifted so that the copy's
    /// reference class (its all-zero row) is zero, over the largest shifted target weight.
    static func relativeWeightError(_ copy: NeuralClassifier, of target: NeuralClassifier) -> Double {
        let w = target.inputWeights
        let c = copy.inputWeights
        guard let ref = (0..<c.rows).first(where: { k in c.row(k).allSatisfy { $0 == 0 } }) else { return .nan }
        var worst: Float = 0
        var largest: Float = 0
        for k in 0..<w.rows {
            for j in 0..<w.cols {
                let shifted = w[k, j] - w[ref, j]
                largest = max(largest, abs(shifted))
                worst = max(worst, abs(c[k, j] - shifted))
            }
        }
        return Double(worst / max(largest, .leastNormalMagnitude))
    }

    /// `count` varied copies of the photos in `photos` (shifts, brightness, noise), cycling through them.
    static func variedPhotos(_ photos: ImageDataset, count: Int, using rng: inout SeededGenerator) -> Matrix {
        Matrix(rowVectors: (0..<count).map { photos.varied($0 % photos.images.rows, using: &rng) })
    }

    /// The mean of the public photos the oracle labels as each subject: what the public inputs give without any
    /// model inversion (the control for the retrained surrogate). A subject no photo is labelled as gets the mean
    /// of all of them.
    static func publicMeans(_ m: TrainedModel, inputs: Matrix, labels: [Int]) -> Matrix {
        let predicted = m.network.predict(inputs)
        let all = inputs.columnSums().map { $0 / Float(inputs.rows) }
        return Matrix(
            rowVectors: labels.map { l in
                let rows = predicted.indices.filter { predicted[$0] == l }
                guard !rows.isEmpty else { return all }
                return inputs.rows(rows).columnSums().map { $0 / Float(rows.count) }
            })
    }
}
