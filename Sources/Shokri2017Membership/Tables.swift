// The result tables that the run prints, writes as CSV and puts in report.md, each declared once: its columns, their
// CSV names and formats, and how the console and the report show them. The attack and defence tables have a column
// (or three) per attack, so they are made for the attacks a run has.

import MLCore
import Privacy
import Reporting

/// One row of models.csv: a dataset's world and its targets' accuracy.
struct WorldRow {
    let world: AuditWorld
    let train: (mean: Double, sd: Double)
    let test: (mean: Double, sd: Double)

    init(_ world: AuditWorld, _ r: Results) {
        self.world = world
        (train, test) = r.accuracy(world)
    }
}

enum Tables {
    /// models.csv: every dataset's world and its targets' accuracy.
    static let models = ResultTable<WorldRow>([
        .text("dataset") { $0.world.plan.dataset.rawValue }, .int("pool") { $0.world.pool.count },
        Column.int("population") { $0.world.population.count }.csvOnly, .int("classes") { $0.world.pool.classCount },
        .int("models") { $0.world.plan.models }, .int("targets") { $0.world.plan.targets },
        Column.int("shadows") { $0.world.plan.shadows }.csvOnly, Column.int("hidden") { $0.world.plan.hidden }.csvOnly,
        .int("epochs") { $0.world.plan.training.epochs }, Column.int("batch") { $0.world.plan.training.batchSize }.csvOnly,
        Column.number("train_accuracy", decimals: 4) { $0.train.mean }.csvOnly,
        Column.number("train_accuracy_sd", decimals: 4) { $0.train.sd }.csvOnly,
        .shown("train accuracy") { "\(Format.pct($0.train.mean)) ± \(Format.pct($0.train.sd))" },
        Column.number("test_accuracy", decimals: 4) { $0.test.mean }.csvOnly,
        Column.number("test_accuracy_sd", decimals: 4) { $0.test.sd }.csvOnly,
        .shown("test accuracy") { "\(Format.pct($0.test.mean)) ± \(Format.pct($0.test.sd))" },
        .number("gap", decimals: 4, shown: Format.pct) { $0.train.mean - $0.test.mean },
    ])

    /// How a metric is titled and shown: TPRs as percentages, the others with three decimals.
    static func title(_ m: MembershipEvaluation.Metric) -> String {
        switch m {
        case .auc: return "AUC"
        case .balancedAccuracy: return "balanced accuracy"
        case .advantage: return "advantage"
        case .precision: return "precision"
        case .recall: return "recall"
        case .tprAt01: return "TPR @ 0.1% FPR"
        case .tprAt1: return "TPR @ 1% FPR"
        case .tprAt0: return "TPR @ 0% FPR"
        }
    }

    static func shown(_ m: MembershipEvaluation.Metric) -> (Double) -> String {
        [.tprAt01, .tprAt1, .tprAt0].contains(m) ? Format.pct : Format.f3
    }

    /// attacks.csv: every attack on every dataset, each metric's mean and spread over the targets.
    static let attacks = ResultTable<AttackResult>(
        [
            Column.text("dataset") { $0.dataset.rawValue }.csvOnly, .text("attack") { $0.attack.description },
            .text("output") { $0.needs.rawValue },
        ]
            + MembershipEvaluation.Metric.allCases.flatMap { m -> [Column<AttackResult>] in
                [
                    m == .auc
                        ? Column.number(m.rawValue, decimals: 4) { $0.metric(m).mean }.csvOnly
                        : .number(m.rawValue, decimals: 4, title: title(m), shown: shown(m)) { $0.metric(m).mean },
                    Column.number(m.rawValue + "_sd", decimals: 4) { $0.metric(m).sd }.csvOnly,
                ] + (m == .auc ? [.shown("AUC") { "\(Format.f3($0.metric(.auc).mean)) ± \(Format.f3($0.metric(.auc).sd))" }] : [])
            } + [
                Column.number("n_members", decimals: 1) { Statistics.meanAndSpread($0.evaluations.map { Double($0.roc.positives) }).mean }
                    .csvOnly,
                Column.number("n_nonmembers", decimals: 1) {
                    Statistics.meanAndSpread($0.evaluations.map { Double($0.roc.negatives) }).mean
                }.csvOnly,
                Column.int("targets") { $0.evaluations.count }.csvOnly,
                .number("queries_per_record", decimals: 3, title: "queries per record", shown: Format.f1) { $0.queriesPerRecord },
            ])

    /// The attacks the report sets side by side in the defence tables.
    static let defenceColumns: [MembershipAttackID] = [.shokri, .liraOnline, .rmia(online: true), .labelRobustness]

    /// defences.csv: every defence's accuracy and every attack's AUC, TPR at 1 % FPR and advantage against it.
    static func defences(_ names: [MembershipAttackID]) -> ResultTable<DefenceResult> {
        ResultTable(
            [
                Column.text("dataset") { $0.dataset.rawValue }.csvOnly, .text("defence") { $0.family.rawValue },
                .custom("setting", field: { .text($0.setting) }, shown: { $0.setting.isEmpty ? "(full outputs)" : $0.setting }),
                .number("train_accuracy", decimals: 4, title: "train accuracy", shown: Format.pct) { $0.trainAccuracy },
                .number("test_accuracy", decimals: 4, title: "test accuracy", shown: Format.pct) { $0.testAccuracy },
                .custom(
                    "epsilon", field: { x in x.privacy.map { .number($0.epsilon, decimals: 4) } ?? .missing },
                    shown: { x in x.privacy.map { Format.f2($0.epsilon) } ?? "" }),
                Column.custom(
                    "delta", field: { x in x.privacy.map { .text(String(format: "%g", $0.delta)) } ?? .missing }, shown: { _ in "" }
                ).csvOnly,
                .shown("strongest attack") { $0.strongest?.attack.description ?? "" },
                .shown("its TPR @ 1% FPR") { x in x.strongest.map { Format.pct($0.metric(.tprAt1).mean) } ?? "" },
            ]
                + names.flatMap { n -> [Column<DefenceResult>] in
                    func cell(_ m: MembershipEvaluation.Metric) -> (DefenceResult) -> CSVField {
                        { x in x.attack(n).map { .number($0.metric(m).mean, decimals: 4) } ?? .missing }
                    }
                    let auc = Column.custom(
                        "\(n)_auc", title: "\(n) AUC", field: cell(.auc),
                        shown: { x in x.attack(n).map { Format.f3($0.metric(.auc).mean) } ?? "n/a" })
                    return [
                        defenceColumns.contains(n) ? auc : auc.csvOnly,
                        Column.custom("\(n)_tpr_at_1pct_fpr", field: cell(.tprAt1), shown: { _ in "" }).csvOnly,
                        Column.custom("\(n)_advantage", field: cell(.advantage), shown: { _ in "" }).csvOnly,
                    ]
                })
    }

    /// LiRA and RMIA against the number of reference models: TPR at 0.1 % FPR, one column per count (console and
    /// report; references.csv holds the same numbers, one row per attack and count, with the AUC).
    static func sweep(_ s: ReferenceSweep) -> ResultTable<MembershipAttackID> {
        ResultTable(
            [.shown("attack (TPR @ 0.1% FPR)") { $0.description }]
                + s.counts.enumerated().map { k, count in
                    .shown("\(count)") { id in (s.tpr[id]?[k]).map { $0.isNaN ? "n/a" : Format.pct($0) } ?? "n/a" }
                })
    }
}
