// What each dataset of the experiment is: how its audit pool is drawn, how its models are trained, how the
// label-only attack perturbs its records. Every value here is a default an option can override.

import ArgumentParser
import Datasets
import ExperimentKit
import Learning
import MLCore
import Privacy

/// The four datasets the experiment compares.
enum AuditedDataset: String, CaseIterable, ExpressibleByArgument, CustomStringConvertible {
    case location
    case adult
    case mnist
    case faces

    var description: String { rawValue }

    /// Loads the dataset through the store: every record, labels 0-based.
    func load(from store: DatasetStore) throws -> LabeledData {
        switch self {
        case .location: return try Location.load(from: store)
        case .adult:
            let split = try UCIAdult.load(from: store)
            return split.train.appending(split.test)
        case .mnist: return try MNIST.load(from: store)
        case .faces: return try ATTFaces.load(from: store).labeled(name: "att_faces")
        }
    }

    /// The audit pool's default size (every record of Location and of the faces) and in quick mode.
    var pool: (full: Int, quick: Int) {
        switch self {
        case .location: return (5010, 1000)
        case .adult: return (10_000, 2000)
        case .mnist: return (20_000, 2000)
        case .faces: return (400, 400)
        }
    }

    /// Models per dataset (every record is in half of them).
    var models: (full: Int, quick: Int) {
        switch self {
        case .location, .faces: return (64, 8)
        case .adult, .mnist: return (32, 8)
        }
    }

    /// Training: epochs, batch size, learning rate (Adam, L2 1e-6 as Shokri et al.'s code).
    var training: (epochs: Int, quickEpochs: Int, batch: Int, learningRate: Float) {
        switch self {
        case .location: return (50, 20, 100, 0.001)
        case .adult: return (20, 5, 100, 0.001)
        case .mnist: return (20, 5, 100, 0.001)
        case .faces: return (40, 15, 20, 0.0001)
        }
    }

    /// How the label-only robustness attack perturbs a record of this dataset.
    func perturbation(_ data: LabeledData) -> InputPerturbation {
        switch self {
        case .location: return .flips(0.02)
        case .adult: return .gaussian(0.1)
        case .mnist: return .shifts(maxShift: 2, mirror: false, width: 28, height: 28)
        case .faces: return .shifts(maxShift: 2, mirror: true, width: 92, height: 112)
        }
    }

    /// Whether LiRA also queries the mirrored record (image data whose mirror is a plausible image: faces; digits are
    /// not mirror-symmetric, so MNIST is not mirrored).
    var mirrored: Bool { self == .faces }

    /// Whether records outside the pool exist to serve as RMIA's population samples.
    var hasOutsideData: Bool { self == .adult || self == .mnist }
}

/// Every resolved setting of the experiment for one dataset.
struct DatasetPlan {
    let dataset: AuditedDataset
    let pool: Int
    let models: Int
    let targets: Int
    let shadows: Int
    let hidden: Int
    let training: TrainingSettings
    let population: Int
    let probes: Int
    /// Epochs of the shadow-trained attack models (shokri, ml_leaks).
    let attackEpochs: Int
}
