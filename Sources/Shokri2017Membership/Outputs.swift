// Everything the run writes to out/Shokri2017Membership/: the tables (fixed headers, no wall-clock figures),
// the ROC curves on log-log axes, the attack summary, the reference-count sweep, the most and least exposed
// records, the leakage-versus-overfitting figure, and report.md.

import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

/// Everything a run computed, as the outputs and the report read it.
struct Results {
    let plans: Plans
    let worlds: [AuditWorld]
    let attacks: [AttackResult]
    let sweep: ReferenceSweep?
    /// Every defence setting on every dataset, in run order.
    let defences: [DefenceResult]

    /// The defence results of one dataset.
    func defences(_ d: AuditedDataset) -> [DefenceResult] { defences.filter { $0.dataset == d } }

    /// The results of one dataset, in attack order.
    func results(_ d: AuditedDataset) -> [AttackResult] { attacks.filter { $0.dataset == d } }

    /// One attack's result on one dataset.
    func result(_ d: AuditedDataset, _ attack: MembershipAttackID) -> AttackResult? {
        attacks.first { $0.dataset == d && $0.attack == attack }
    }

    /// The targets' mean train and test accuracy (and spreads).
    func accuracy(_ world: AuditWorld) -> (train: (mean: Double, sd: Double), test: (mean: Double, sd: Double)) {
        let acc = (0..<world.plan.targets).map { world.accuracy($0) }
        return (Statistics.meanAndSpread(acc.map(\.train)), Statistics.meanAndSpread(acc.map(\.test)))
    }

    /// Every attack run against some defence, in the order first met.
    var defenceAttacks: [MembershipAttackID] {
        defences.flatMap { $0.attacks.map(\.attack) }.reduce(into: [MembershipAttackID]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The attack with the highest mean TPR at 0.1 % FPR on a dataset (AUC breaks ties).
    func best(_ d: AuditedDataset) -> AttackResult? {
        results(d).max { a, b in
            let (ta, tb) = (a.metric(.tprAt01).mean, b.metric(.tprAt01).mean)
            return ta != tb ? ta < tb : a.metric(.auc).mean < b.metric(.auc).mean
        }
    }
}

enum Outputs {
    static func write(_ r: Results, to run: ExperimentRun) throws {
        try run.write(Tables.models.csv(r.worlds.map { WorldRow($0, r) }), to: "models.csv")
        try run.write(Tables.attacks.csv(r.attacks), to: "attacks.csv")

        // scores.csv: every audited record's score under every attack, against the first target.
        let names = r.attacks.reduce(into: [MembershipAttackID]()) { if !$0.contains($1.attack) { $0.append($1.attack) } }
        var scores = CSVTable(header: ["dataset", "record", "label", "member"] + names.map(\.description))
        for w in r.worlds {
            let found = Dictionary(uniqueKeysWithValues: r.results(w.plan.dataset).map { ($0.attack, $0.firstScores) })
            for i in 0..<w.pool.count {
                scores.append(
                    [.text(w.plan.dataset.rawValue), .int(i), .int(w.pool.labels[i]), .int(w.keep[0][i] ? 1 : 0)]
                        + names.map { n in found[n].map { .number($0[i], decimals: 6) } ?? .missing })
            }
        }
        try run.write(scores, to: "scores.csv")

        if let s = r.sweep {
            var sweep = CSVTable(header: ["dataset", "attack", "references", "tpr_at_0.1pct_fpr", "auc"])
            let dataset = r.worlds.first { $0.plan.dataset == .location }?.plan.dataset ?? r.worlds.first?.plan.dataset
            for name in s.tpr.keys.sorted() {
                for (k, count) in s.counts.enumerated() {
                    sweep.append([
                        .text(dataset?.rawValue ?? ""), .text(name.description), .int(count), .number(s.tpr[name]?[k] ?? .nan, decimals: 4),
                        .number(s.auc[name]?[k] ?? .nan, decimals: 4),
                    ])
                }
            }
            try run.write(sweep, to: "references.csv")
            try run.write(sweepFigure(s, dataset: dataset?.rawValue ?? ""), to: "lira-vs-references.png")
        }

        for w in r.worlds {
            try run.write(rocFigure(r.results(w.plan.dataset), dataset: w.plan.dataset), to: "roc-\(w.plan.dataset).png")
            if let size = w.pool.imageSize, let best = r.best(w.plan.dataset) {
                try run.write(exposedFigure(w, best, width: size.width, height: size.height), to: "exposed-\(w.plan.dataset).png")
            }
        }
        if !r.defences.isEmpty { try writeDefences(r, to: run) }
        try run.write(summaryFigure(r), to: "attacks.png")
        try run.write(gapFigure(r), to: "gap.png")
        try run.write(Report.render(r, run: run), to: "report.md")
    }

    /// defences.csv, dp_audit.csv and defences.png.
    static func writeDefences(_ r: Results, to run: ExperimentRun) throws {
        let table = Tables.defences(r.defenceAttacks).csv(r.defences)
        try run.write(table, to: "defences.csv")

        var audit = CSVTable(header: [
            "dataset", "target_epsilon", "epsilon", "delta", "noise_multiplier", "clip", "sampling_rate", "steps", "attack", "members",
            "nonmembers", "tpr_at_1pct_fpr", "bound_at_1pct_fpr", "tpr_ci_low", "tpr_ci_high", "margin_at_1pct_fpr", "largest_excess",
            "empirical_epsilon", "thresholds_checked", "verdict",
        ])
        for x in r.defences {
            guard let p = x.privacy else { continue }
            for (attack, a) in x.audits {
                let result = x.attack(attack)
                audit.append([
                    .text(x.dataset.rawValue), .number(p.targetEpsilon, decimals: 2), .number(p.epsilon, decimals: 4),
                    .text(String(format: "%g", p.delta)), .number(p.noiseMultiplier, decimals: 4), .number(Double(p.clip), decimals: 3),
                    .number(p.samplingRate, decimals: 5), .int(p.steps), .text(attack.description),
                    .int(result?.evaluations.reduce(0) { $0 + $1.roc.positives } ?? 0),
                    .int(result?.evaluations.reduce(0) { $0 + $1.roc.negatives } ?? 0), .number(a.tprAt1, decimals: 4),
                    .number(a.boundAt1, decimals: 4), .number(a.tprAt1Interval.lower, decimals: 4),
                    .number(a.tprAt1Interval.upper, decimals: 4), .number(a.marginAt1, decimals: 4), .number(a.largestExcess, decimals: 4),
                    .number(a.empiricalEpsilon, decimals: 4), .int(a.thresholdsChecked), .text(a.violated ? "VIOLATED" : "within bound"),
                ])
            }
        }
        try run.write(audit, to: "dp_audit.csv")
        try run.write(defenceFigure(r), to: "defences.png")
    }

    /// Privacy against utility, one panel per dataset: test accuracy across, the strongest attack's TPR at 1 % FPR up,
    /// one labelled marker per defence setting (the training defences of a family joined in order).
    static func defenceFigure(_ r: Results) -> Image8 {
        let datasets = r.defences.map(\.dataset).reduce(into: [AuditedDataset]()) { if !$0.contains($1) { $0.append($1) } }
        let families: [(DefenceKind, String, Color, Bool)] = [
            (.outputPolicy, "output policies", Color.palette[0], false),
            (.l2, "L2", Color.palette[1], true), (.earlyStopping, "early stopping", Color.palette[2], false),
            (.dropout, "dropout", Color.palette[3], false), (.dpSGD, "DP-SGD", Color(117, 112, 179), true),
            (.none, "no defence", .black, false),
        ]
        let plots = datasets.map { d -> LinePlot in
            let rows = r.defences(d)
            let series = families.compactMap { family, name, color, joined -> PlotSeries? in
                let members = rows.filter { $0.family == family && $0.strongest != nil }
                guard !members.isEmpty else { return nil }
                return PlotSeries(
                    name, points: members.map { (100 * $0.testAccuracy, 100 * ($0.strongest?.metric(.tprAt1).mean ?? 0)) }, color: color,
                    connected: joined,
                    labels: members.map { $0.family == .none ? "" : $0.shortName.replacingOccurrences(of: "dp sgd ", with: "") })
            }
            return LinePlot(
                title: "\(d): privacy against utility", x: Axis("test accuracy (%)"),
                y: Axis("strongest attack: TPR at 1 % FPR (%)"), series: series, legend: .below)
        }
        return LinePlot.row(plots, width: 620, height: 600)
    }

    /// The FPR grid of the ROC figures: log-spaced from 1e-4 to 1.
    static let grid: [Double] = (0...40).map { pow(10, -4 + Double($0) / 10) }

    /// Every attack's ROC (averaged over targets) on log-log axes, with the diagonal: seven colours, solid, dashed
    /// and dotted in turn.
    static func rocFigure(_ results: [AttackResult], dataset: AuditedDataset) -> Image8 {
        let colours = Color.palette.count
        var series = results.enumerated().map { k, a in
            PlotSeries(
                a.attack.description, points: zip(grid, a.meanROC(grid)).map { ($0, max($1, 1e-5)) }, color: Color.palette[k % colours],
                dash: [0, 7, 2][(k / colours) % 3], markers: false)
        }
        series.append(PlotSeries("chance", points: [(1e-4, 1e-4), (1, 1)], color: .gray, dash: 12, markers: false))
        let plot = LinePlot(
            title: "\(dataset): ROC, mean over targets", x: Axis("false-positive rate", scale: .log10, range: 1e-4...1),
            y: Axis("true-positive rate", scale: .log10, range: 1e-4...1), series: series, legend: .below)
        return plot.render(width: 820, height: 1000)
    }

    /// AUC and TPR at 0.1 % FPR per attack, one bar per dataset.
    static func summaryFigure(_ r: Results) -> Image8 {
        let names = r.attacks.reduce(into: [MembershipAttackID]()) { if !$0.contains($1.attack) { $0.append($1.attack) } }
        func chart(_ title: String, _ metric: MembershipEvaluation.Metric, _ axis: Axis) -> BarChart {
            BarChart(
                title: title, categories: names.map(\.description),
                series: r.worlds.enumerated().map { k, w in
                    (
                        w.plan.dataset.rawValue, Color.palette[k % Color.palette.count],
                        names.map { n in r.result(w.plan.dataset, n).map { $0.metric(metric).mean } ?? .nan }
                    )
                }, axis: axis)
        }
        return BarChart.row(
            [chart("AUC (mean over targets)", .auc, Axis("AUC", range: 0.4...1)), chart("TPR at 0.1 % FPR", .tprAt01, Axis("TPR"))],
            width: 640)
    }

    /// TPR at 0.1 % FPR against the number of reference models.
    static func sweepFigure(_ s: ReferenceSweep, dataset: String) -> Image8 {
        let series = s.tpr.keys.sorted().enumerated().map { k, name in
            PlotSeries(
                name.description, points: zip(s.counts, s.tpr[name] ?? []).filter { $0.1.isFinite }.map { (Double($0.0), 100 * $0.1) },
                color: Color.palette[k % Color.palette.count])
        }
        return LinePlot(
            title: "\(dataset): attacks with few reference models", x: Axis("reference models", scale: .log10),
            y: Axis("TPR at 0.1 % FPR (%)"), series: series, legend: .below
        ).render(width: 760, height: 620)
    }

    /// Each attack's advantage against the targets' train-test accuracy gap, one point per dataset.
    static func gapFigure(_ r: Results) -> Image8 {
        let shown: [MembershipAttackID] = [
            .shokri, .metric(.loss, perClass: false), .metric(.mentr, perClass: true), .liraOnline, .rmia(online: true), .labelGap,
        ]
        let gaps = Dictionary(uniqueKeysWithValues: r.worlds.map { w in (w.plan.dataset, r.accuracy(w)) })
        let series = shown.enumerated().map { k, name in
            PlotSeries(
                name.description,
                points: r.worlds.compactMap { w -> (Double, Double)? in
                    guard let a = r.result(w.plan.dataset, name), let g = gaps[w.plan.dataset] else { return nil }
                    return (100 * (g.train.mean - g.test.mean), 100 * a.metric(.advantage).mean)
                }.sorted { $0.0 < $1.0 }, color: Color.palette[k % Color.palette.count])
        }
        return LinePlot(
            title: "Leakage against overfitting, one point per dataset",
            x: Axis("train - test accuracy (points)"), y: Axis("advantage, max TPR - FPR (points)"), series: series, legend: .below
        ).render(width: 760, height: 620)
    }

    /// The 16 members the best attack scores highest beside the 16 it scores lowest (first target).
    static func exposedFigure(_ w: AuditWorld, _ best: AttackResult, width: Int, height: Int) -> Image8 {
        let members = w.pool.labels.indices.filter { w.keep[0][$0] }
        let ranked = members.sorted { best.firstScores[$0] != best.firstScores[$1] ? best.firstScores[$0] > best.firstScores[$1] : $0 < $1 }
        let scale = width < 64 ? 3 : 1
        let tiles = (Array(ranked.prefix(16)) + Array(ranked.suffix(16))).map { i in
            Image8.gray(w.pool.features.row(i), width: width, height: height).scaled(by: scale)
        }
        return ImageGrid.make(tiles, columns: 16, margin: 3)
    }
}
