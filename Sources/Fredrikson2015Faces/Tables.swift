// The result tables that the run prints, writes as CSV and puts in report.md, each declared once: its columns, their
// CSV names and formats, and how the console and the report show them.

import ExperimentKit
import Privacy
import Reporting

/// A set of images scored as reconstructions: an attack's, or a reference's (references.csv).
struct ScoredImages {
    let name: String
    let explanation: String
    let summary: ScoreSummary

    /// The attacks' reconstructions, then the references.
    static func all(_ runs: [AttackRun], _ references: [Reference], _ scores: [ScoreSummary]) -> [ScoredImages] {
        runs.map {
            ScoredImages(name: "attack_" + $0.model.name, explanation: "MI-Face on \($0.model.name)", summary: ScoreSummary($0.scores))
        }
            + zip(references, scores).map { ScoredImages(name: $0.name, explanation: $0.explanation, summary: $1) }
    }
}

/// One row of surrogates.csv: a stolen copy inverted white-box, or the control (the attacker's photos alone).
struct SurrogateRow {
    let model: String
    let extraction: String
    let queries: Int
    /// Agreement with the target on the test images and relative weight error (nil for the control, or where none).
    let agreement: Double?
    let weightError: Double?
    let isControl: Bool
    let summary: ScoreSummary

    init(_ x: APIAttackRun) {
        (model, extraction, queries) = (x.model.rawValue, x.method.description, x.extractionQueries)
        (agreement, weightError, isControl, summary) = (x.agreement, x.weightError, false, ScoreSummary(x.scores))
    }

    /// The stolen copies, then the control.
    static func all(_ surrogates: [APIAttackRun], control: ScoreSummary, photos: Int) -> [SurrogateRow] {
        surrogates.map(SurrogateRow.init) + [SurrogateRow(control: control, photos: photos)]
    }

    init(control: ScoreSummary, photos: Int) {
        (model, extraction, queries, agreement, weightError, isControl, summary) =
            (FaceModel.mlp.rawValue, "control_public_photo_mean", photos, nil, nil, true, control)
    }
}

/// The identification columns every table of reconstructions ends with.
func identificationColumns<Row>(_ summary: @escaping (Row) -> ScoreSummary, top5: Bool = false)
    -> [Column<Row>]
{
    var columns: [Column<Row>] = [
        .number("nn_identification", decimals: 4, title: "NN id", shown: Format.pct) { summary($0).nearestNeighbour },
        .number("lineup_accuracy", decimals: 4, title: "line-up (chance 20 %)", shown: Format.pct) { summary($0).lineup },
        .number("eval_top1", decimals: 4, title: "evaluator top-1", shown: Format.pct) { summary($0).top1 },
    ]
    if top5 { columns.append(.number("eval_top5", decimals: 4, title: "evaluator top-5", shown: Format.pct) { summary($0).top5 }) }
    columns.append(.number("mean_ssim", decimals: 4, title: "SSIM", shown: Format.f3) { Double(summary($0).ssim) })
    return columns
}

enum Tables {
    /// models.csv: the targets and the evaluator, beside the paper's test error.
    static let models = ResultTable<TrainedModel>([
        .text("model") { $0.name },
        .number("train_accuracy", decimals: 4, title: "train accuracy", shown: Format.pct) { $0.trainAccuracy },
        .number("test_accuracy", decimals: 4, title: "test accuracy", shown: Format.pct) { $0.testAccuracy },
        .shown("test error (paper)") { Published.Fredrikson2015.testError[$0.name].map(Format.pct) ?? "n/a (not in the paper)" },
    ])

    /// White-box MI-Face on each target (report; the CSV rows are in summary.csv and inversions.csv).
    static let whiteBox = ResultTable<AttackRun>(
        [.shown("model") { $0.model.name }] + identificationColumns({ ScoreSummary($0.scores) }, top5: true).map(\.shownOnly) + [
            .shown("mean iterations") { Format.f1($0.meanIterations) },
            .shown("queries per face") { Format.f1(Double($0.queries) / Double($0.inversions.count)) },
            .shown("paper's seconds per face (ours: timings.csv)") {
                Published.Fredrikson2015.whiteBoxSecondsPerFace[$0.model.name].map(Format.f1) ?? "n/a"
            },
        ])

    /// references.csv: the attacks beside the mean face and a held-out photo, on every metric.
    static let references = ResultTable<ScoredImages>(
        [.text("images") { $0.name }] + identificationColumns({ $0.summary }, top5: true) + [.shown("what") { $0.explanation }])

    /// variants.csv: the two costs and the two readings of gamma.
    static let variants = ResultTable<AttackRun>(
        [
            .text("model") { $0.model.name }, .text("cost") { $0.attack.cost.rawValue },
            .text("gamma_reading", title: "gamma reading") { $0.attack.gammaReading.rawValue },
            .number("mean_iterations", decimals: 1, title: "mean iterations") { $0.meanIterations },
            .number("mean_confidence", decimals: 4, title: "mean confidence", shown: Format.f3) { $0.meanConfidence },
            Column.int("stopped_gamma") { $0.stopped(.reachedGamma) }.csvOnly,
            Column.int("stopped_no_improvement") { $0.stopped(.noImprovement) }.csvOnly,
            Column.int("stopped_max_iterations") { $0.stopped(.maxIterations) }.csvOnly,
            .shown("stops gamma/window/max") { $0.stopCounts },
        ]
            + identificationColumns { ScoreSummary($0.scores) })

    /// Black-box MI-Face with every estimator (console and report; the CSV rows are in summary.csv).
    static let blackBox = ResultTable<APIAttackRun>(
        [
            .shown("model") { $0.model.rawValue }, .shown("estimator") { $0.method.description },
            .shown("faces") { String($0.inversions.count) }, .shown("queries per face") { Format.f1($0.queriesPerFace) },
            .shown("mean iterations") { Format.f1($0.meanIterations) }, .shown("mean confidence") { Format.f3($0.meanConfidence) },
            .shown("failed") { String($0.failedFaces) },
        ] + identificationColumns { ScoreSummary($0.scores) }.map(\.shownOnly))

    /// surrogates.csv: each stolen copy inverted white-box, and the control.
    static let surrogates = ResultTable<SurrogateRow>(
        [
            .text("model") { $0.model }, .text("extraction") { $0.extraction }, .int("queries") { $0.queries },
            .custom(
                "agreement", title: "agreement on test images",
                field: { $0.isControl ? .text("") : .number($0.agreement ?? .nan, decimals: 4) },
                shown: { $0.isControl ? "" : Format.pct($0.agreement ?? .nan) }),
            .custom(
                "weight_error", title: "relative weight error", field: { $0.weightError.map { .number($0, decimals: 8) } ?? .text("") },
                shown: { $0.weightError.map { Format.e2($0) } ?? "" }),
        ] + identificationColumns { $0.summary })

    /// rounding.csv: every attack at every rounding of the answers.
    static let rounding = ResultTable<APIAttackRun>(
        [
            .text("model") { $0.model.rawValue }, .text("attack") { $0.attack.rawValue },
            .number("r", decimals: 3, shown: { roundingName(Float($0)) }) { Double($0.rounding) },
        ] + Array(identificationColumns { ScoreSummary($0.scores) }.prefix(3)) + [
            .number("queries_per_face", decimals: 1, title: "queries per face") { $0.queriesPerFace },
            .int("failed_faces", title: "failed faces") { $0.failedFaces }, Column.text("method") { $0.method.description }.csvOnly,
            Column.int("faces") { $0.inversions.count }.csvOnly,
        ])

    /// monitor.csv: what the query monitor concluded about each kind of client.
    static let monitor = ResultTable<MonitorRow>([
        .text("client") { $0.client.description }, .int("clients") { $0.clients }, .int("flagged") { $0.flagged },
        .number("queries", decimals: 1) { $0.queries },
        .custom(
            "queries_until_flagged", title: "queries until flagged",
            field: { $0.queriesUntilDetection.map { .number($0, decimals: 1) } ?? .text("") },
            shown: { $0.queriesUntilDetection.map { Format.f1($0) } ?? "never" }),
        .int("unnatural") { $0.unnatural }, .int("near_duplicates", title: "near-duplicates") { $0.duplicates },
        .custom(
            "nn_identification", title: "NN id", field: { $0.identification.map { .number($0, decimals: 4) } ?? .text("") },
            shown: { $0.identification.map { Format.pct($0) } ?? "" }),
        Column.text("description") { $0.description }.csvOnly,
    ])
}
