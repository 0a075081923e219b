// Everything the run writes to out/Fredrikson2015Faces/: the CSV tables (fixed headers), the face
// figures, the raw reconstructions as .npy, and report.md with the paper's numbers beside ours.

import Datasets
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

enum Outputs {
    static func write(
        to dir: RunDirectory, options o: Fredrikson2015Faces, settings s: Settings, blas: BLASInfo,
        faces: ImageDataset, train: ImageDataset, targets: [TrainedModel], evaluator: TrainedModel,
        runs: [AttackRun], references: [Reference], referenceScores: [ScoreSummary],
        variants: [AttackRun], seconds: Double
    ) throws {
        // config.csv: every resolved option, the seed and the dataset's checksum.
        var config = CSVTable(header: ["key", "value"])
        let catalogDigest = SHA256Digest.hex(Array(Catalog.attFaces.files.map { $0.path + " " + $0.sha256 }.joined(separator: "\n").utf8))
        let entries: [(String, String)] = [
            ("experiment", "Fredrikson2015Faces"), ("seed", String(o.seed)), ("quick", String(o.quick)),
            ("alpha", String(s.attack.alpha)), ("beta", String(s.attack.beta)), ("gamma", String(s.attack.gamma)),
            ("lambda", String(s.attack.lambda)), ("cost", s.attack.cost.rawValue), ("gamma_reading", s.attack.gammaReading.rawValue),
            ("x0", "zeros"), ("process", "identity"), ("softmax_epochs", String(s.softmaxEpochs)), ("mlp_hidden", String(s.mlpHidden)),
            ("mlp_epochs", String(s.mlpEpochs)), ("mlp_l2", String(o.mlpL2)), ("evaluator_hidden", String(s.evaluatorHidden)),
            ("evaluator_epochs", String(s.evaluatorEpochs)), ("lineups", String(s.lineups)), ("lineup_size", "5"),
            ("split", "7 train / 3 test per subject, seeded"), ("dataset", Catalog.attFaces.name),
            ("dataset_files_verified", String(Catalog.attFaces.files.count)), ("dataset_catalog_sha256", catalogDigest),
        ]
        for (k, v) in entries {
            config.append([.text(k), .text(v)])
        }
        try dir.write(config, to: "config.csv")

        var models = CSVTable(header: ["model", "train_accuracy", "test_accuracy", "train_seconds"])
        for m in targets + [evaluator] {
            models.append([
                .text(m.name), .number(m.trainAccuracy, decimals: 4), .number(m.testAccuracy, decimals: 4),
                .number(m.seconds, decimals: 2),
            ])
        }
        try dir.write(models, to: "models.csv")

        // inversions.csv: one row per model and label (label = subject number, 1..40, as in s01.png).
        var inversions = CSVTable(header: [
            "model", "label", "stop_reason", "iterations", "confidence", "seconds",
            "nn_correct", "lineup_accuracy", "eval_top1", "ssim",
        ])
        for r in runs {
            for (k, inv) in r.inversions.enumerated() {
                let sc = r.scores[k]
                inversions.append([
                    .text(r.model.name), .int(inv.label + 1), .text(inv.stopReason.rawValue), .int(inv.iterations),
                    .number(Double(inv.confidence), decimals: 6), .number(r.seconds(of: k), decimals: 4),
                    .int(sc.nearestNeighbourCorrect ? 1 : 0), .number(sc.lineupAccuracy, decimals: 4),
                    .int(sc.evaluatorTop1 ? 1 : 0), .number(Double(sc.ssim), decimals: 4),
                ])
            }
        }
        try dir.write(inversions, to: "inversions.csv")

        var summary = CSVTable(header: [
            "model", "access", "rounding", "test_accuracy", "nn_identification", "lineup_accuracy",
            "eval_top1", "mean_ssim", "mean_iterations", "seconds_per_face", "queries_per_face",
        ])
        for r in runs {
            let sum = ScoreSummary(r.scores)
            summary.append([
                .text(r.model.name), .text(r.access.rawValue), .text("none"), .number(r.model.testAccuracy, decimals: 4),
                .number(sum.nearestNeighbour, decimals: 4), .number(sum.lineup, decimals: 4), .number(sum.top1, decimals: 4),
                .number(sum.ssim, decimals: 4), .number(r.meanIterations, decimals: 1),
                .number(r.seconds / Double(r.inversions.count), decimals: 4),
                .number(Double(r.queries) / Double(r.inversions.count), decimals: 1),
            ])
        }
        try dir.write(summary, to: "summary.csv")

        // references.csv: the attacks beside the mean face and a held-out photo, on every metric.
        var refs = CSVTable(header: ["images", "nn_identification", "lineup_accuracy", "eval_top1", "eval_top5", "mean_ssim"])
        let attackSummaries = runs.map { ("attack_" + $0.model.name, ScoreSummary($0.scores)) }
        for (name, sum) in attackSummaries + zip(references.map(\.name), referenceScores).map({ ($0, $1) }) {
            refs.append([
                .text(name), .number(sum.nearestNeighbour, decimals: 4), .number(sum.lineup, decimals: 4),
                .number(sum.top1, decimals: 4), .number(sum.top5, decimals: 4), .number(sum.ssim, decimals: 4),
            ])
        }
        try dir.write(refs, to: "references.csv")

        var vt = CSVTable(header: [
            "model", "cost", "gamma_reading", "mean_iterations", "mean_confidence", "stopped_gamma",
            "stopped_no_improvement", "stopped_max_iterations", "nn_identification", "lineup_accuracy",
            "eval_top1", "mean_ssim", "seconds",
        ])
        for v in variants {
            let sum = ScoreSummary(v.scores)
            let counts = StopReason.allCases.map { r in v.inversions.filter { $0.stopReason == r }.count }
            vt.append([
                .text(v.model.name), .text(v.attack.cost.rawValue), .text(v.attack.gammaReading.rawValue),
                .number(v.meanIterations, decimals: 1), .number(v.meanConfidence, decimals: 4),
                .int(counts[0]), .int(counts[1]), .int(counts[2]), .number(sum.nearestNeighbour, decimals: 4),
                .number(sum.lineup, decimals: 4), .number(sum.top1, decimals: 4), .number(sum.ssim, decimals: 4),
                .number(v.seconds, decimals: 2),
            ])
        }
        try dir.write(vt, to: "variants.csv")

        // Faces: each reconstruction alone (contrast-stretched; raw values as .npy) and a figure per model
        // with each subject's reconstruction beside one of its training images.
        let w = faces.width
        let h = faces.height
        for r in runs {
            var tiles: [Image8] = []
            for (k, inv) in r.inversions.enumerated() {
                let name = String(format: "s%02d", inv.label + 1)
                try dir.write(Image8.contrastStretched(inv.image, width: w, height: h), to: "\(r.model.name)/\(name).png")
                try dir.write(NPY.encode(inv.image, shape: [h, w]), to: "\(r.model.name)/\(name).npy")
                tiles.append(Image8.contrastStretched(inv.image, width: w, height: h))
                let photo = train.images.row(train.labels.firstIndex(of: inv.label) ?? k)
                tiles.append(Image8.gray(photo, width: w, height: h))
            }
            try dir.write(ImageGrid.make(tiles, columns: 10), to: "reconstructions-\(r.model.name).png")
        }
        for v in variants
        where !runs.contains(where: {
            $0.model.name == v.model.name && $0.attack.cost == v.attack.cost
                && $0.attack.gammaReading == v.attack.gammaReading
        }) && v.attack.gammaReading == .confidence {
            let tiles = v.inversions.map { Image8.contrastStretched($0.image, width: w, height: h) }
            try dir.write(ImageGrid.make(tiles, columns: 10), to: "variant-\(v.model.name)-\(v.attack.cost.rawValue).png")
        }

        try dir.write(
            Report.render(
                options: o, settings: s, blas: blas, targets: targets, evaluator: evaluator, runs: runs,
                references: references, referenceScores: referenceScores, variants: variants,
                seconds: seconds), to: "report.md")
    }
}
