// Everything the run writes to out/Fredrikson2015Faces/: the CSV tables (fixed headers, no wall-clock
// figures: those are in timings.csv), the face figures, the raw reconstructions as .npy, and report.md.

import Datasets
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

enum Outputs {
    static func write(_ r: Results, to run: ExperimentRun) throws {
        try run.write(Tables.models.csv(r.targets + [r.evaluator]), to: "models.csv")

        // inversions.csv: one row per model and label (label = subject number, 1..40, as in s01.png).
        var inversions = CSVTable(header: [
            "model", "label", "stop_reason", "iterations", "confidence", "nn_correct", "lineup_accuracy", "eval_top1", "ssim",
        ])
        for a in r.runs {
            for (k, inv) in a.inversions.enumerated() {
                let sc = a.scores[k]
                inversions.append([
                    .text(a.model.name), .int(inv.label + 1), .text(inv.stopReason.rawValue), .int(inv.iterations),
                    .number(Double(inv.confidence), decimals: 6), .int(sc.nearestNeighbourCorrect ? 1 : 0),
                    .number(sc.lineupAccuracy, decimals: 4), .int(sc.evaluatorTop1 ? 1 : 0), .number(Double(sc.ssim), decimals: 4),
                ])
            }
        }
        try run.write(inversions, to: "inversions.csv")

        var summary = CSVTable(header: [
            "model", "access", "rounding", "test_accuracy", "nn_identification", "lineup_accuracy", "eval_top1", "mean_ssim",
            "mean_iterations", "queries_per_face", "method", "faces",
        ])
        for a in r.runs {
            let sum = ScoreSummary(a.scores)
            summary.append([
                .text(a.model.name), .text(a.access.rawValue), .text("none"), .number(a.model.testAccuracy, decimals: 4),
                .number(sum.nearestNeighbour, decimals: 4), .number(sum.lineup, decimals: 4), .number(sum.top1, decimals: 4),
                .number(sum.ssim, decimals: 4), .number(a.meanIterations, decimals: 1),
                .number(Double(a.queries) / Double(a.inversions.count), decimals: 1), .text("white-box"), .int(a.inversions.count),
            ])
        }
        // Black-box rows: every estimator unrounded, then the sweep's estimator at every other rounding.
        let accuracy = Dictionary(uniqueKeysWithValues: r.targets.map { ($0.kind, $0.testAccuracy) })
        for b in r.blackBox + r.sweep.filter({ $0.attack == .blackBox && $0.rounding > 0 }) {
            let sum = ScoreSummary(b.scores)
            summary.append([
                .text(b.model.rawValue), .text(AccessLevel.blackBox.rawValue), .text(roundingName(b.rounding)),
                .number(accuracy[b.model] ?? .nan, decimals: 4),
                .number(sum.nearestNeighbour, decimals: 4), .number(sum.lineup, decimals: 4), .number(sum.top1, decimals: 4),
                .number(sum.ssim, decimals: 4), .number(b.meanIterations, decimals: 1), .number(b.queriesPerFace, decimals: 1),
                .text(b.method.description), .int(b.inversions.count),
            ])
        }
        try run.write(summary, to: "summary.csv")

        try run.write(Tables.references.csv(r.scoredImages), to: "references.csv")

        try run.write(Tables.variants.csv(r.variants), to: "variants.csv")

        // Faces: each reconstruction alone (contrast-stretched; raw values as .npy) and a figure per model
        // with each subject's reconstruction beside one of its training images.
        let w = r.faces.width
        let h = r.faces.height
        for a in r.runs {
            var tiles: [Image8] = []
            for (k, inv) in a.inversions.enumerated() {
                let name = String(format: "s%02d", inv.label + 1)
                try run.write(Image8.contrastStretched(inv.image, width: w, height: h), to: "\(a.model.name)/\(name).png")
                try run.write(NPY.encode(inv.image, shape: [h, w]), to: "\(a.model.name)/\(name).npy")
                tiles.append(Image8.contrastStretched(inv.image, width: w, height: h))
                let photo = r.train.images.row(r.train.labels.firstIndex(of: inv.label) ?? k)
                tiles.append(Image8.gray(photo, width: w, height: h))
            }
            try run.write(ImageGrid.make(tiles, columns: 10), to: "reconstructions-\(a.model.name).png")
        }
        for v in Report.otherCostVariants(r) {
            let tiles = v.inversions.map { Image8.contrastStretched($0.image, width: w, height: h) }
            try run.write(ImageGrid.make(tiles, columns: 10), to: "variant-\(v.model.name)-\(v.attack.cost.rawValue).png")
        }
        try writeAPIResults(r, to: run)
        try run.write(Report.render(r, run: run), to: "report.md")
    }

    /// surrogates.csv, rounding.csv, rounding.png, rounding-surrogate.png and monitor.csv.
    static func writeAPIResults(_ r: Results, to run: ExperimentRun) throws {
        try run.write(Tables.surrogates.csv(r.surrogateRows), to: "surrogates.csv")
        try run.write(Tables.rounding.csv(r.sweep), to: "rounding.csv")

        // One row of reconstructions per r, the same subjects in every row: softmax's, then the MLP's.
        let w = r.faces.width
        let h = r.faces.height
        let steps = Array(Set(r.sweep.map(\.rounding))).sorted()
        let figures: [(attack: APIAttack, file: String, name: String)] = [
            (.blackBox, "rounding.png", "black-box MI-Face"), (.surrogate, "rounding-surrogate.png", "MI-Face on a stolen copy"),
        ]
        for (attack, file, name) in figures {
            var tiles: [Image8] = []
            var columns: [String] = []
            for step in steps {
                let row = r.sweep.filter { $0.attack == attack && $0.rounding == step }
                columns = row.flatMap { run in run.inversions.map { "\(run.model) s\($0.label + 1)" } }
                tiles += row.flatMap(\.inversions).map { Image8.contrastStretched($0.image, width: w, height: h) }
            }
            guard !columns.isEmpty else { continue }
            let grid = LabelledGrid(
                title: "\(name) under rounded confidences", rowAxis: "rounding step r", columnAxis: "target model and subject",
                rowLabels: steps.map { $0 == 0 ? "none" : "r = \($0)" }, columnLabels: columns)
            try run.write(try grid.render(tiles), to: file)
        }

        try run.write(Tables.monitor.csv(r.monitorRows), to: "monitor.csv")
    }
}
