// report.md and the claims table: the attacks ranked per dataset, and the papers' claims beside this run's
// numbers, each verdict computed from the run.

import ExperimentKit
import Foundation
import MLCore
import Privacy
import Reporting

enum Report {
    /// The papers' claims beside this run, with verdicts computed from it.
    static func claims(_ r: Results) -> [Claim] {
        var claims: [Claim] = []
        let worlds = r.worlds
        let shokri = worlds.compactMap { w in r.result(w.plan.dataset, .shokri).map { (w, $0) } }
        if shokri.count >= 3 {
            let classes = shokri.map { Double($0.0.pool.classCount) }
            let gaps = shokri.map { r.accuracy($0.0).train.mean - r.accuracy($0.0).test.mean }
            let advantage = shokri.map { $0.1.metric(.advantage).mean }
            let byClasses = Statistics.spearman(classes, advantage)
            let byGap = Statistics.spearman(gaps, advantage)
            let listed = shokri.indices.map { k in
                "\(shokri[k].0.plan.dataset) (\(shokri[k].0.pool.classCount) classes, gap \(Format.pct(gaps[k]))): "
                    + Format.f3(advantage[k])
            }
            claims.append(
                Claim(
                    "Leakage grows with the number of classes (Shokri et al.)", ours: byClasses,
                    unit: "rank correlation of the shokri advantage with the class count",
                    measured: "shokri advantage " + listed.joined(separator: "; ")
                        + "; rank correlation with classes \(Format.f2(byClasses))",
                    verdict: byClasses > 0.5 ? .reproduced : byClasses > 0 ? .partly : .notReproduced,
                    note: "reproduced needs a rank correlation above 0.5"))
            claims.append(
                Claim(
                    "... and with overfitting (Shokri et al.; Yeom et al.)", ours: byGap,
                    unit: "rank correlation of the shokri advantage with the train-test gap",
                    measured: "rank correlation of the shokri advantage with the train-test gap \(Format.f2(byGap))",
                    verdict: byGap > 0.5 ? .reproduced : byGap > 0 ? .partly : .notReproduced,
                    note: "reproduced needs a rank correlation above 0.5"))
        }
        let pairs = worlds.compactMap { w -> (String, Double, Double)? in
            guard let a = r.result(w.plan.dataset, .mlLeaks), let b = r.result(w.plan.dataset, .shokri) else { return nil }
            return (w.plan.dataset.rawValue, a.metric(.auc).mean, b.metric(.auc).mean)
        }
        if !pairs.isEmpty {
            claims.append(
                Claim(
                    "One shadow model and one attack model are enough (ML-Leaks)", ours: pairs.map { $0.1 - $0.2 }.min(),
                    unit: "AUC, ml_leaks minus shokri (worst dataset)",
                    measured: "AUC ml_leaks vs shokri: "
                        + pairs.map { "\($0.0) \(Format.f3($0.1)) vs \(Format.f3($0.2))" }.joined(separator: "; "),
                    verdict: pairs.allSatisfy { $0.1 >= $0.2 - 0.02 } ? .reproduced : .notReproduced,
                    note: "needs 0.02 AUC below shokri or better on every dataset"))
        }
        let metric = worlds.compactMap { w -> (String, Double, Double)? in
            guard let b = r.result(w.plan.dataset, .shokri) else { return nil }
            let best =
                ([MembershipMetric.confidence, .entropy, .mentr].map { MembershipAttackID.metric($0, perClass: true) }
                + [MembershipMetric.mentr, .confidence, .loss].map { MembershipAttackID.metric($0, perClass: false) }).compactMap {
                    r.result(w.plan.dataset, $0)?.metric(.auc).mean
                }.max() ?? .nan
            return (w.plan.dataset.rawValue, best, b.metric(.auc).mean)
        }
        if !metric.isEmpty {
            claims.append(
                Claim(
                    "Metric attacks match trained attack models (Song and Mittal)", ours: metric.map { $0.1 - $0.2 }.min(),
                    unit: "AUC, best metric attack minus shokri (worst dataset)",
                    measured: "best metric AUC vs shokri: "
                        + metric.map { "\($0.0) \(Format.f3($0.1)) vs \(Format.f3($0.2))" }.joined(separator: "; "),
                    verdict: metric.allSatisfy { $0.1 >= $0.2 - 0.01 } ? .reproduced : .notReproduced,
                    note: "needs 0.01 AUC below shokri or better on every dataset"))
        }
        let low = worlds.compactMap { w -> (String, Double, Double, Double, Double)? in
            guard let l = r.result(w.plan.dataset, .liraOnline), let y = r.result(w.plan.dataset, .metric(.loss, perClass: false)) else {
                return nil
            }
            return (w.plan.dataset.rawValue, l.metric(.tprAt01).mean, y.metric(.tprAt01).mean, l.metric(.auc).mean, y.metric(.auc).mean)
        }
        if !low.isEmpty {
            let stronger = low.filter { $0.1 >= 2 * $0.2 && $0.1 > 0.005 }.count
            claims.append(
                Claim(
                    "LiRA is far stronger at low FPR though AUCs look alike (Carlini et al.)", ours: Double(stronger),
                    unit: "datasets where LiRA has twice the loss attack's TPR at 0.1 % FPR",
                    measured: "TPR at 0.1 % FPR lira_online vs loss (AUC): "
                        + low.map { "\($0.0) \(Format.pct($0.1)) vs \(Format.pct($0.2)) (\(Format.f3($0.3)) vs \(Format.f3($0.4)))" }
                        .joined(
                            separator: "; "),
                    verdict: stronger == low.count ? .reproduced : stronger > 0 ? .partly : .notReproduced,
                    note: "at least twice the TPR on \(stronger) of \(low.count) datasets"))
        }
        if let s = r.sweep, let rmia = s.tpr[.rmia(online: false)], let lira = s.tpr[.lira(online: false, fixedVariance: true)] {
            let few = s.counts.indices.filter { s.counts[$0] <= 4 }
            let wins = few.filter { rmia[$0] > lira[$0] }.count
            claims.append(
                Claim(
                    "RMIA needs fewer reference models than LiRA (Zarifzadeh et al.)", ours: Double(wins),
                    unit: "settings with at most 4 references where offline RMIA beats offline LiRA",
                    measured: "TPR at 0.1 % FPR, offline RMIA vs offline LiRA with "
                        + few.map { "\(s.counts[$0]) references: \(Format.pct(rmia[$0])) vs \(Format.pct(lira[$0]))" }.joined(
                            separator: "; "),
                    verdict: wins == few.count ? .reproduced : wins > 0 ? .partly : .notReproduced,
                    note: "RMIA ahead in \(wins) of \(few.count) settings"))
        }
        let identity = worlds.compactMap { w -> Double? in
            guard let gap = r.result(w.plan.dataset, .labelGap) else { return nil }
            return (0..<w.plan.targets).map { t in
                let acc = w.accuracy(t)
                return abs(gap.evaluations[t].decisions.balancedAccuracy - (1 + acc.train - acc.test) / 2)
            }.max()
        }
        if let worst = identity.max() {
            claims.append(
                Claim(
                    "The gap attack's accuracy is (1 + train accuracy - test accuracy) / 2 (Yeom et al.)", paper: 0, ours: worst,
                    unit: "largest difference from the formula",
                    measured:
                        "largest difference between its balanced accuracy and the formula over every target: \(String(format: "%.1e", worst))",
                    verdict: worst < 1e-9 ? .reproduced : .notReproduced, note: worst < 1e-9 ? "an identity" : "differs"))
        }
        claims += defenceClaims(r)
        return claims
    }

    /// The defence claims: Shokri et al.'s output policies and L2, ML-Leaks' dropout, Song and Mittal's label-only
    /// attacks, DP-SGD's cost, and the DP audit.
    static func defenceClaims(_ r: Results) -> [Claim] {
        var claims: [Claim] = []
        let datasets = r.defences.map(\.dataset).reduce(into: [AuditedDataset]()) { if !$0.contains($1) { $0.append($1) } }
        func row(_ d: AuditedDataset, _ family: DefenceKind, policy: OutputPolicy? = nil) -> DefenceResult? {
            r.defences(d).first { $0.family == family && (policy == nil || $0.policy == policy) }
        }
        func tpr(_ x: DefenceResult?) -> Double { x?.strongest?.metric(.tprAt1).mean ?? .nan }
        func auc(_ x: DefenceResult?, _ attack: MembershipAttackID) -> Double { x?.attack(attack)?.metric(.auc).mean ?? .nan }

        // Shokri et al.: top-k and rounding barely lower their attack.
        let masks: [OutputPolicy] = [.topK(1), .topK(3), .rounded(0.1), .rounded(0.001)]
        var drops: [Double] = []
        let maskText = datasets.compactMap { d -> String? in
            guard let base = row(d, .none) else { return nil }
            let cells = masks.compactMap { m -> String? in
                guard let x = row(d, .outputPolicy, policy: m) else { return nil }
                drops.append(auc(base, .shokri) - auc(x, .shokri))
                return "\(m) \(Format.f3(auc(x, .shokri)))"
            }
            return cells.isEmpty ? nil : "\(d) \(Format.f3(auc(base, .shokri))) -> " + cells.joined(separator: ", ")
        }
        if !maskText.isEmpty {
            let worst = drops.max() ?? 0
            claims.append(
                Claim(
                    "Top-k and rounding barely lower the shadow-model attack (Shokri et al.)", ours: worst,
                    unit: "largest drop in shokri AUC",
                    measured: "shokri AUC without and with each policy: " + maskText.joined(separator: "; "),
                    verdict: worst <= 0.05 ? .reproduced : .notReproduced,
                    note: worst <= 0.05 ? "no drop above 0.05 AUC" : "a drop of \(Format.f3(worst)) AUC"))
        }
        // Shokri et al.: L2 lowers leakage, at a cost in accuracy.
        let l2 = datasets.compactMap { d -> (String, Double, Double, Double, Double, String)? in
            guard let base = row(d, .none), let strongest = r.defences(d).filter({ $0.family == .l2 }).last else { return nil }
            return (d.rawValue, tpr(base), tpr(strongest), base.testAccuracy, strongest.testAccuracy, strongest.setting)
        }
        if !l2.isEmpty {
            // Only datasets that leak without a defence (the strongest attack above 5 % TPR at 1 % FPR) can show a drop.
            let leaky = l2.filter { $0.1 >= 0.05 }
            let lowered = leaky.filter { $0.2 < 0.8 * $0.1 }.count
            let costly = l2.filter { $0.4 < $0.3 - 0.01 }.count
            claims.append(
                Claim(
                    "L2 regularisation lowers leakage, at a cost in accuracy (Shokri et al.)", ours: Double(lowered),
                    unit: "leaking datasets where the strongest L2 lowers the strongest attack by a fifth",
                    measured: "strongest attack's TPR at 1 % FPR (test accuracy), none -> strongest L2: "
                        + l2.map {
                            "\($0.0) \(Format.pct($0.1)) (\(Format.pct($0.3))) -> \(Format.pct($0.2)) (\(Format.pct($0.4))) at \($0.5)"
                        }
                        .joined(separator: "; "),
                    verdict: leaky.isEmpty ? .notApplicable : lowered == leaky.count ? .reproduced : lowered > 0 ? .partly : .notReproduced,
                    note: "lowered on \(lowered) of the \(leaky.count) datasets that leak; accuracy lower on \(costly) of \(l2.count)"))
        }
        // ML-Leaks: dropout lowers their attack.
        let dropout = datasets.compactMap { d -> (String, Double, Double)? in
            guard let base = row(d, .none), let x = row(d, .dropout) else { return nil }
            return (d.rawValue, auc(base, .mlLeaks), auc(x, .mlLeaks))
        }
        if !dropout.isEmpty {
            // Only datasets where the attack works without a defence (AUC 0.55 or more) can show a drop.
            let leaky = dropout.filter { $0.1 >= 0.55 }
            let lowered = leaky.filter { $0.2 < $0.1 - 0.01 }.count
            claims.append(
                Claim(
                    "Dropout lowers the ML-Leaks attack (Salem et al.)", ours: Double(lowered),
                    unit: "datasets where dropout lowers the ml_leaks AUC",
                    measured: "ml_leaks AUC without and with dropout: "
                        + dropout.map { "\($0.0) \(Format.f3($0.1)) -> \(Format.f3($0.2))" }.joined(separator: "; "),
                    verdict: leaky.isEmpty ? .notApplicable : lowered == leaky.count ? .reproduced : lowered > 0 ? .partly : .notReproduced,
                    note: "lowered on \(lowered) of the \(leaky.count) datasets where the attack works"))
        }
        // Song and Mittal, Choquette-Choo et al.: label-only attacks survive output masking.
        let labels = datasets.compactMap { d -> (String, Double, Double, Double)? in
            guard let base = row(d, .none), let x = row(d, .outputPolicy, policy: .labelOnly) else { return nil }
            let best = [MembershipAttackID.labelGap, .labelRobustness].map { auc(x, $0) }.max() ?? .nan
            let unmasked = [MembershipAttackID.labelGap, .labelRobustness].map { auc(base, $0) }.max() ?? .nan
            let confidence = base.attacks.filter { $0.needs == .confidences }.map { $0.metric(.auc).mean }.max() ?? .nan
            return (d.rawValue, best, unmasked, confidence)
        }
        if !labels.isEmpty {
            let same = labels.allSatisfy { $0.1 == $0.2 }
            let above = labels.filter { $0.1 > 0.55 }.count
            claims.append(
                Claim(
                    "Label-only attacks survive output masking (Song and Mittal; Choquette-Choo et al.)", ours: Double(above),
                    unit: "datasets where a label attack exceeds 0.55 AUC with labels only",
                    measured: "best label attack AUC with labels only (full outputs; best confidence attack): "
                        + labels.map { "\($0.0) \(Format.f3($0.1)) (\(Format.f3($0.2)); \(Format.f3($0.3)))" }.joined(separator: "; "),
                    verdict: same && above > 0 ? .reproduced : .notReproduced,
                    note: "\(same ? "unchanged" : "changed") by the policy; above 0.55 AUC on \(above) of \(labels.count) datasets"))
        }
        // DP-SGD: strong privacy costs accuracy and stops the attacks.
        let dp = datasets.compactMap { d -> (String, Double, Double, Double, Double, Double)? in
            guard let base = row(d, .none) else { return nil }
            guard
                let tight = r.defences(d).filter({ $0.family == .dpSGD }).min(by: {
                    ($0.privacy?.epsilon ?? 0) < ($1.privacy?.epsilon ?? 0)
                }),
                let p = tight.privacy
            else { return nil }
            return (d.rawValue, p.epsilon, base.testAccuracy, tight.testAccuracy, tpr(base), tpr(tight))
        }
        if !dp.isEmpty {
            let costly = dp.filter { $0.3 < $0.2 - 0.05 }.count
            claims.append(
                Claim(
                    "Strong privacy (small epsilon) costs accuracy and stops the attacks (Abadi et al.; Jayaraman and Evans)",
                    ours: Double(costly), unit: "datasets losing 5 accuracy points or more at the smallest epsilon",
                    measured: "test accuracy and strongest attack's TPR at 1 % FPR, non-private -> smallest epsilon: "
                        + dp.map {
                            "\($0.0) \(Format.pct($0.2)), \(Format.pct($0.4)) -> epsilon \(Format.f2($0.1)): \(Format.pct($0.3)), \(Format.pct($0.5))"
                        }.joined(separator: "; "),
                    verdict: costly * 2 > dp.count ? .reproduced : .notReproduced,
                    note: "accuracy 5 points or more lower on \(costly) of \(dp.count); reproduced needs more than half"))
        }
        let audits = r.defences.flatMap { x in x.audits.map { (x, $0.attack, $0.audit) } }
        if !audits.isEmpty {
            let violated = audits.filter { $0.2.violated }
            let tightest = audits.max { $0.2.empiricalEpsilon < $1.2.empiricalEpsilon }
            claims.append(
                Claim(
                    "No attack beats what (epsilon, delta)-DP allows (Kairouz et al.): TPR <= e^epsilon FPR + delta",
                    paper: 0, ours: Double(violated.count), unit: "attack-model pairs above their bound",
                    measured: "\(audits.count) attack-model pairs audited; "
                        + (violated.isEmpty
                            ? ((tightest?.2.empiricalEpsilon ?? 0) > 0
                                ? "largest empirical epsilon \(Format.f2(tightest?.2.empiricalEpsilon ?? 0)) (\(tightest?.1.description ?? ""), "
                                    + "\(tightest?.0.dataset.rawValue ?? "") at epsilon \(Format.f2(tightest?.0.privacy?.epsilon ?? 0)))"
                                : "no attack proves any epsilon above 0")
                            : violated.map { "\($0.0.dataset) \($0.1) at epsilon \(Format.f2($0.0.privacy?.epsilon ?? 0)) VIOLATED" }
                                .joined(separator: "; ")),
                    verdict: violated.isEmpty ? .reproduced : .notReproduced,
                    note: violated.isEmpty
                        ? "every attack within its bound, beyond sampling error" : "VIOLATED: a bug in the training or the accountant"))
        }
        return claims
    }

    /// The defences: per dataset a table of every setting, the privacy-utility figure, the DP audit.
    static func defenceSection(_ r: Results, into md: inout MarkdownReport) {
        let datasets = r.defences.map(\.dataset).reduce(into: [AuditedDataset]()) { if !$0.contains($1) { $0.append($1) } }
        md.heading("Defences: which stops which attack, at what cost")
        let size = r.defences.first.map { "\($0.plan.models) models (\($0.plan.targets) audited as targets)" } ?? ""
        md.paragraph(
            "Each defence gets its own world of \(size) trained on the same random halves of the same pool as the others (every "
                + "setting is in config.csv); the targets are the first models, the rest are the attacker's references and shadows, trained with the same "
                + "defence (the attacker knows how the target was trained). Output policies are applied to the undefended world's "
                + "targets, and the attacker shows its own models' answers through the same policy. TPR at 1 % FPR, AUC and advantage "
                + "are means over the targets; every attack's numbers are in defences.csv.")
        for d in datasets {
            let rows = r.defences(d)
            md.heading("\(d): defences", level: 3)
            Tables.defences(r.defenceAttacks).markdown(rows, into: &md)
        }
        md.image("defences.png", alt: "test accuracy against the strongest attack's TPR at 1 % FPR, per defence")
        let dp = r.defences.filter { $0.privacy != nil }
        if !dp.isEmpty {
            md.heading("DP-SGD and its audit", level: 3)
            md.paragraph(
                "DP-SGD: Poisson sampling (each of a model's rows in a step with probability q = batch / its rows), each example's "
                    + "gradient clipped to norm C from the outer-product structure of the dense layers (no per-example backward pass), "
                    + "Gaussian noise of standard deviation sigma C on the summed gradient, divided by the expected batch; Adam on "
                    + "the result. The RDP accountant (integer orders, the improved conversion of dp-accounting and Opacus) gives the "
                    + "sigma for each target epsilon at the largest q and step count among the world's models, so the epsilon holds for "
                    + "every model. For each DP world, every attack's scores over its targets are checked against TPR <= e^epsilon FPR + "
                    + "delta and its mirror at every threshold, with one-sided 95 % Clopper-Pearson bounds (Bonferroni over the thresholds "
                    + "checked); the empirical epsilon is the lower bound on epsilon the attack proves. Every attack is in dp_audit.csv.")
            md.table(
                [
                    "dataset", "epsilon", "delta", "sigma", "q", "steps", "strongest attack", "TPR @ 1% FPR (95 % interval)",
                    "DP bound there", "largest empirical epsilon", "verdict",
                ],
                dp.map { x in
                    let p = x.privacy!
                    let worst = x.audits.max { $0.audit.tprAt1 < $1.audit.tprAt1 }
                    let proven = x.audits.max { $0.audit.empiricalEpsilon < $1.audit.empiricalEpsilon }
                    let violated = x.audits.filter { $0.audit.violated }.map(\.attack)
                    return [
                        x.dataset.rawValue, Format.f2(p.epsilon), String(format: "%g", p.delta), Format.f2(p.noiseMultiplier),
                        String(format: "%.4f", p.samplingRate), String(p.steps), worst?.attack.description ?? "",
                        worst.map {
                            "\(Format.pct($0.audit.tprAt1)) (\(Format.pct($0.audit.tprAt1Interval.lower)) - \(Format.pct($0.audit.tprAt1Interval.upper)))"
                        } ?? "", worst.map { Format.pct($0.audit.boundAt1) } ?? "",
                        proven.map {
                            $0.audit.empiricalEpsilon > 0
                                ? "\(Format.f2($0.audit.empiricalEpsilon)) (\($0.attack))" : "0 (no attack proves any)"
                        }
                            ?? "",
                        violated.isEmpty ? "within bound" : "**VIOLATED** by " + violated.map(\.description).joined(separator: ", "),
                    ]
                })
            if dp.contains(where: { $0.audits.contains { $0.audit.violated } }) {
                md.paragraph(
                    "**An attack beat the DP bound beyond its sampling error: the training or the accountant is wrong. Do not trust "
                        + "the epsilons above until this is explained.**")
            }
        }
        md.bullets([
            "A temperature is an invertible map of the logits: an attacker who knows it loses nothing (LiRA and RMIA read the same "
                + "ranking), though attacks with fixed thresholds or trained attack models may stumble.",
            "Labels only: the confidence attacks cannot run; the label attacks see the same labels under every policy (each keeps the "
                + "predicted class) and score exactly as without a policy.",
            "Early stopping holds out 10 % of each model's training rows to watch the loss; those rows stay members (the owner's data) "
                + "though the model never trained on them.",
            "L2 is lambda / 2 times the squared weights (the gradient gains lambda W), added to the gradient before Adam.",
        ])
    }

    /// One sentence with the run's headline numbers: the strongest attack at low FPR on each dataset.
    static func headline(_ r: Results) -> String {
        "Strongest attack at 0.1 % FPR: "
            + r.worlds.compactMap { w -> String? in
                guard let b = r.best(w.plan.dataset) else { return nil }
                return "\(w.plan.dataset) \(b.attack) TPR \(Format.pct(b.metric(.tprAt01).mean)) (AUC \(Format.f3(b.metric(.auc).mean)))"
            }.joined(separator: "; ") + "."
    }

    static func render(_ r: Results, run: ExperimentRun) -> String {
        var md = MarkdownReport()
        md.heading("Membership inference, every standard attack on the same target models", level: 1)
        md.paragraph(
            "Run with \(run.description). Per dataset, M models are trained on seeded random halves of a pool, drawn independently for "
                + "every model (every record is in about half of them); each of the first T models is audited in turn, the other M - 1 serving as the attacker's "
                + "reference models and the first few non-targets as its shadow models. Every attack queries the target through an oracle that "
                + "shows full confidences, or labels only for the label-only attacks, and is scored on the target's whole pool (its members "
                + "against the other records). Metrics are means over the targets (± sample standard deviation). Every setting is in "
                + "config.csv, every time in timings.csv.")
        md.heading("The papers' claims beside ours")
        md.claims(run.claims, paper: "the membership-inference literature")

        md.heading("Target models")
        Tables.models.markdown(r.worlds.map { WorldRow($0, r) }, into: &md)
        md.paragraph(
            "Every model: one hidden layer of \(r.worlds.first?.plan.hidden ?? 128) tanh units and a softmax output (Shokri et al.'s network), "
                + "Adam with L2 1e-6 as in the authors' code; test accuracy is measured on the pool records the model did not train on.")

        for w in r.worlds {
            let d = w.plan.dataset
            md.heading("\(d): attacks ranked by TPR at 0.1 % FPR")
            Tables.attacks.markdown(r.results(d).sorted { $0.metric(.tprAt01).mean > $1.metric(.tprAt01).mean }, into: &md)
            md.image("roc-\(d).png", alt: "\(d): ROC curves on log-log axes")
            if w.pool.imageSize != nil, let best = r.best(d) {
                md.paragraph(
                    "The 16 members \(best.attack) scores as most exposed (top row) and the 16 it scores as least exposed (bottom row), first target:"
                )
                md.image("exposed-\(d).png", alt: "\(d): most and least exposed members")
            }
        }

        md.heading("Summary and leakage against overfitting")
        md.image("attacks.png", alt: "AUC and TPR at 0.1 % FPR per attack and dataset")
        md.image("gap.png", alt: "advantage against the train-test gap")
        if let s = r.sweep {
            md.heading("How many reference models")
            Tables.sweep(s).markdown(s.tpr.keys.sorted(), into: &md)
            md.paragraph(
                "TPR at 0.1 % FPR with only the first k reference models (mean over targets; LiRA with a fixed variance, as Carlini et al. advise "
                    + "for few models). With one reference model there is no rehearsal: the offline attacks fall back to their natural thresholds "
                    + "and RMIA to a = 0.3.")
            md.image("lira-vs-references.png", alt: "TPR at 0.1 % FPR against the number of reference models")
        }
        if !r.defences.isEmpty { defenceSection(r, into: &md) }
        md.heading("Choices and deviations")
        md.bullets([
            "Shadow models are the attacker's reference models that are never targets, trained on random halves of the same pool (the "
                + "attacker knows their membership); Shokri et al. trained shadows on disjoint data from the same distribution.",
            "Decision rules: shadow-trained attacks call a member at P(member) >= 0.5; metric attacks at the threshold with the best balanced "
                + "accuracy on the shadows (loss: the shadows' average training loss, as Yeom et al.); LiRA online at a likelihood ratio above 1; "
                + "offline LiRA and RMIA at the best threshold on a rehearsal with one reference model as the target; ML-Leaks' adversary 3 at "
                + "the 90th percentile of the target's answers to 1,000 random inputs; the gap attack at correct classification.",
            "Each model's half is drawn independently. Carlini et al.'s code splits so that every record is in exactly half of the models; "
                + "then a target's members are in one fewer of the other models than its non-members, which attack models trained on shadows "
                + "learned record by record (seen while building this experiment: shokri's AUC fell below 0.5 on the faces) and a plain average over references leaks.",
            "RMIA online weighs the references that trained on a record and those that did not equally, as if each held it with probability "
                + "one half; its population samples come from outside the pool for Adult and MNIST and from the pool for Location and the faces.",
            "Mirrored queries (LiRA on the faces) help only if the models saw mirrored images; these were trained without augmentation, "
                + "and the mirrored variants score below the plain ones here.",
            "LiRA queries mirrored records only for the faces (digits are not mirror-symmetric).",
            "scores.csv holds every record's score under every attack against the first target only (all targets would be T times larger).",
            "Each attack's source file lists its references and deviations in its documentation comment.",
        ])
        md.heading("Left out here")
        md.bullets([
            "Purchase-100, Texas-100 and CIFAR-10: no copy could be obtained (see ../shared/datasets/README.md).",
            "Tighter privacy accounting (PLD, PRV; about 10 % lower epsilon): the RDP accountant here is an upper bound, so the "
                + "DP audit is conservative.",
            "Adversarial regularisation and MemGuard (later defences), and output policies on the DP-trained models.",
        ])
        return md.text
    }
}
