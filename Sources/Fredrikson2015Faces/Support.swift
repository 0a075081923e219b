// The pieces main.swift strings together: a trained model with its numbers, one MI-Face run with
// its timing, and the reference images every metric also scores.

import Datasets
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

/// The face recognisers of the experiment: the paper's targets and the evaluator that scores reconstructions.
enum FaceModel: String, CaseIterable, CustomStringConvertible {
    case softmax
    case mlp
    case evaluator

    /// The name in tables, file names and folders.
    var description: String { rawValue }
}

/// A trained network with its accuracies and training time.
struct TrainedModel {
    let kind: FaceModel
    /// The kind's name, as tables and files spell it.
    var name: String { kind.rawValue }
    let network: NeuralClassifier
    let trainAccuracy: Double
    let testAccuracy: Double
    let seconds: Double

    /// Trains `network` with a progress bar over epochs and measures it (its time goes to timings.csv).
    static func train(
        _ kind: FaceModel, network: NeuralClassifier, settings: TrainingSettings, train: ImageDataset, test: ImageDataset,
        run: ExperimentRun, using rng: inout SeededGenerator
    ) throws -> TrainedModel {
        let bar = Progress("train \(kind)", total: settings.epochs, unit: "epochs")
        let start = Date()
        let fitted = try Trainer(settings).fit(network, x: train.images, labels: train.labels, using: &rng) { epoch, _ in
            bar.update(epoch)
        }
        let seconds = Date().timeIntervalSince(start)
        bar.finish()
        run.timings.record("train_\(kind)", seconds: seconds)
        return TrainedModel(
            kind: kind, network: fitted, trainAccuracy: fitted.accuracy(train.images, labels: train.labels),
            testAccuracy: fitted.accuracy(test.images, labels: test.labels), seconds: seconds)
    }
}

/// One MI-Face run over every label of one model.
struct AttackRun {
    let model: TrainedModel
    let attack: MIFace
    let access: AccessLevel
    let inversions: [Reconstruction]
    let seconds: Double
    let queries: Int
    var scores: [ImageScore] = []

    /// The reconstructions, one per row.
    var images: Matrix { Matrix(rowVectors: inversions.map(\.image)) }

    var meanIterations: Double { Double(inversions.map(\.iterations).reduce(0, +)) / Double(max(inversions.count, 1)) }
    var meanConfidence: Double { inversions.map { Double($0.confidence) }.reduce(0, +) / Double(max(inversions.count, 1)) }

    /// How many descents stopped for each reason (gamma, window, max iterations).
    func stopped(_ reason: StopReason) -> Int { inversions.filter { $0.stopReason == reason }.count }

    /// "gamma/window/max" counts of the stop reasons.
    var stopCounts: String {
        [StopReason.reachedGamma, .noImprovement, .maxIterations].map { r in
            String(inversions.filter { $0.stopReason == r }.count)
        }.joined(separator: "/")
    }

    /// Runs `attack` white-box against `model` for every label, with a progress bar over labels.
    static func run(_ attack: MIFace, model: TrainedModel, labels: [Int], quiet: Bool = false) throws -> AttackRun {
        let oracle = WhiteBoxOracle(model.network)
        let bar = quiet ? nil : Progress("invert \(model.name)", total: labels.count, unit: "faces")
        let start = Date()
        let inversions = try attack.run(labels: labels, oracle: oracle) { done, _ in bar?.update(done) }
        let seconds = Date().timeIntervalSince(start)
        bar?.finish()
        return AttackRun(
            model: model, attack: attack, access: oracle.access, inversions: inversions, seconds: seconds,
            queries: oracle.queries)
    }
}

/// Images scored with every metric beside the attacks, to show what a metric can tell.
struct Reference {
    /// What the reference stands for.
    enum Kind: String {
        case meanFace = "mean_face"
        case heldOutPhoto = "held_out_photo"
    }

    let kind: Kind
    /// The kind's name in tables.
    var name: String { kind.rawValue }
    let explanation: String
    let images: Matrix

    /// The global mean training face (an attack must beat it) and one held-out photo per subject.
    static func make(train: ImageDataset, test: ImageDataset, labels: [Int]) -> [Reference] {
        let mean = train.images.columnSums().map { $0 / Float(train.images.rows) }
        let meanFace = Matrix(rowVectors: labels.map { _ in mean })
        let heldOut = Matrix(
            rowVectors: labels.map { l in
                test.images.row(test.labels.firstIndex(of: l) ?? 0)
            })
        return [
            Reference(kind: .meanFace, explanation: "the mean of all training faces, the same image for every subject", images: meanFace),
            Reference(kind: .heldOutPhoto, explanation: "a test photo of the subject (what a real photo scores)", images: heldOut),
        ]
    }
}

/// Everything a run computed, as the outputs and the report read it.
struct Results {
    let settings: Settings
    let faces: ImageDataset
    let train: ImageDataset
    let targets: [TrainedModel]
    let evaluator: TrainedModel
    let runs: [AttackRun]
    let references: [Reference]
    let referenceScores: [ScoreSummary]
    let variants: [AttackRun]
    /// Black-box MI-Face with every estimator, unrounded answers.
    let blackBox: [APIAttackRun]
    /// MI-Face on stolen copies, unrounded answers.
    let surrogates: [APIAttackRun]
    /// The mean public photo per label the oracle gives (the control for the retrained surrogate).
    let publicControl: ScoreSummary
    /// Public photos the attacker holds.
    let publicPhotos: Int
    /// Every attack at every rounding of the answers.
    let sweep: [APIAttackRun]
    /// The query monitor's verdicts.
    let monitorRows: [MonitorRow]
    /// The monitor's calibrated thresholds.
    let monitorSettings: QueryMonitor.Settings

    /// The variant run of `model` with this cost and reading of gamma.
    func variant(_ model: FaceModel, _ cost: InversionCost, _ reading: GammaReading) -> AttackRun? {
        variants.first { $0.model.kind == model && $0.attack.cost == cost && $0.attack.gammaReading == reading }
    }

    /// The attacks' reconstructions and the references, scored alike (references.csv).
    var scoredImages: [ScoredImages] { ScoredImages.all(runs, references, referenceScores) }

    /// The stolen copies and the control (surrogates.csv).
    var surrogateRows: [SurrogateRow] {
        SurrogateRow.all(surrogates, control: publicControl, photos: publicPhotos)
    }

    /// The score summary of a reference.
    func reference(_ kind: Reference.Kind) -> ScoreSummary? {
        zip(references, referenceScores).first { reference, _ in reference.kind == kind }.map { _, summary in summary }
    }
}
