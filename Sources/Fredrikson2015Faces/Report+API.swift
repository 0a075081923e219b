// The report's part on attacks through the API: black-box MI-Face, surrogates, rounding and the query monitor.

import ExperimentKit
import Foundation
import Privacy
import Reporting

extension Report {
    /// The smallest rounding at which an attack's identification on a model falls below half (nil: never).
    static func breakingPoint(_ r: Results, model: FaceModel, attack: APIAttack) -> Float? {
        r.sweep.filter { $0.model == model && $0.attack == attack }.sorted { $0.rounding < $1.rounding }
            .first { ScoreSummary($0.scores).nearestNeighbour < 0.5 }?.rounding
    }

    /// The claims about the API: black-box cost, the paper's rounding result, white-box independence of r, extraction,
    /// and the monitor.
    static func apiClaims(_ r: Results) -> [Claim] {
        var claims: [Claim] = []
        let white = Dictionary(uniqueKeysWithValues: r.runs.map { ($0.model.name, $0) })
        let bb = r.blackBox.filter { $0.model == .softmax }
        if let best = bb.max(by: { ScoreSummary($0.scores).nearestNeighbour < ScoreSummary($1.scores).nearestNeighbour }),
            let w = white["softmax"]
        {
            let sum = ScoreSummary(best.scores)
            let wq = Double(w.queries) / Double(w.inversions.count)
            claims.append(
                Claim(
                    "Black-box MI-Face recovers faces from confidences alone, at a far higher query cost (section 5.3)",
                    ours: sum.nearestNeighbour, unit: "fraction identified (softmax)",
                    measured:
                        "softmax, \(best.method): identification \(Format.pct(sum.nearestNeighbour)) with \(Format.f1(best.queriesPerFace)) "
                        + "queries per face, against \(Format.pct(ScoreSummary(w.scores).nearestNeighbour)) with \(Format.f1(wq)) white-box",
                    verdict: sum.nearestNeighbour >= 0.5 && best.queriesPerFace > 10 * wq ? .reproduced : .notReproduced,
                    note: "needs half identified at more than 10 times the white-box queries"))
        }
        if let top = r.sweep.map(\.rounding).max(), top > 0 {
            let point = breakingPoint(r, model: .softmax, attack: .blackBox)
            let atTop = r.sweep.first { $0.model == .softmax && $0.attack == .blackBox && $0.rounding == top }
            claims.append(
                Claim(
                    "Rounding the confidences degrades black-box MI-Face, which fails at about r = 0.1 (Figure 11)",
                    paper: 0.1, ours: point.map(Double.init), unit: "r where identification falls below 50 %",
                    measured: "softmax black-box identification by r: "
                        + r.sweep.filter { $0.model == .softmax && $0.attack == .blackBox }.map {
                            "\(roundingName($0.rounding)) \(Format.pct(ScoreSummary($0.scores).nearestNeighbour))"
                        }.joined(separator: ", ")
                        + "; at r = \(roundingName(top)) \(atTop?.failedFaces ?? 0) of \(atTop?.inversions.count ?? 0) "
                        + "faces found no direction",
                    verdict: point.map { $0 >= 0.05 && $0 <= 0.1 ? .reproduced : .partly } ?? .notReproduced,
                    note: point.map { "breaks at r = \(roundingName($0)); reproduced needs 0.05 to 0.1" }
                        ?? "identification stays at 50 % or more"))
            let whiteRuns = r.sweep.filter { $0.attack == .whiteBox }
            var largest: Float = 0
            for m in Set(whiteRuns.map(\.model)) {
                let runs = whiteRuns.filter { $0.model == m }
                guard let first = runs.first else { continue }
                for x in runs { largest = max(largest, zip(first.images.data, x.images.data).map { abs($0 - $1) }.max() ?? 0) }
            }
            claims.append(
                Claim(
                    "White-box MI-Face does not depend on how the answers are rounded", paper: 0, ours: Double(largest),
                    unit: "largest pixel difference across r",
                    measured: "largest pixel difference between white-box reconstructions across r: \(largest)",
                    verdict: largest == 0 ? .reproduced : .notReproduced, note: largest == 0 ? "identical images" : ""))
            let surrogatePoint = breakingPoint(r, model: .softmax, attack: .surrogate)
            claims.append(
                Claim(
                    "Rounding also stops the model-stealing route (Tramer et al.: rounding degrades extraction)",
                    ours: surrogatePoint.map(Double.init), unit: "r where identification falls below 50 %",
                    measured: "softmax surrogate by equation solving, identification by r: "
                        + r.sweep.filter { $0.model == .softmax && $0.attack == .surrogate }.map {
                            "\(roundingName($0.rounding)) \(Format.pct(ScoreSummary($0.scores).nearestNeighbour)) "
                                + "(\(Format.f1($0.queriesPerFace)) queries per face)"
                        }.joined(separator: ", "),
                    verdict: surrogatePoint == nil ? .notReproduced : .reproduced,
                    note: surrogatePoint.map { "from r = \(roundingName($0))" }
                        ?? "longer probes recover a usable copy at every r tried"))
        }
        if let eq = r.surrogates.first(where: { $0.method == .equationSolving }) {
            claims.append(
                Claim(
                    "About d + 1 queries recover a softmax model exactly (Tramer et al.)",
                    paper: Double(r.faces.width * r.faces.height + 1), ours: Double(eq.extractionQueries), unit: "queries",
                    measured: "\(eq.extractionQueries) queries for d = \(r.faces.width * r.faces.height); agreement on the test images "
                        + "\(Format.pct(eq.agreement ?? .nan)), largest relative weight error \(Format.e2(eq.weightError ?? .nan))",
                    verdict: (eq.agreement ?? 0) == 1 && (eq.weightError ?? 1) < 1e-3 ? .reproduced : .notReproduced,
                    note: "needs every test label the same and a relative weight error below 1e-3"))
        }
        if let benign = r.monitorRows.first(where: { $0.client == .benign }) {
            let attacks = r.monitorRows.filter(\.client.isNaiveAttack)
            claims.append(
                Claim(
                    "Monitoring query patterns catches the inversion and stealing attacks without flagging ordinary clients",
                    ours: Double(benign.flagged), unit: "benign clients flagged",
                    measured: "benign clients flagged \(benign.flagged) of \(benign.clients); "
                        + attacks.map { "\($0.client) flagged after \($0.queriesUntilDetection.map { Format.f1($0) } ?? "never") queries" }
                        .joined(separator: ", "),
                    verdict: benign.flagged == 0 && attacks.allSatisfy { $0.flagged == $0.clients } ? .reproduced : .notReproduced,
                    note: "needs no benign client and every attacking client flagged"))
        }
        return claims
    }

    /// The API sections of report.md.
    static func renderAPI(_ r: Results, into md: inout MarkdownReport) {
        let s = r.settings
        md.heading("Black-box MI-Face: gradients from the answers")
        md.paragraph(
            "The same descent (Algorithm 1, same stopping rule) with the gradient estimated from the oracle's answers alone: central "
                + "differences along s x s pixel blocks (`blocks-s`, 1 + 2 x blocks queries a step) or along K random directions in "
                + "the block space (`random-K-blocks-s`, 1 + 2K queries a step), probes of length \(s.estimators.first?.step ?? 0); a "
                + "probe that changes no answer is tried again up to 3 times, each 4 times longer (each try counted). Every face of "
                + "softmax (alpha \(s.blackBoxAttack.alpha)); the MLP, whose every query costs 75 times more, on \(s.sweepFaces) subjects "
                + "with alpha \(s.blackBoxMLPAttack.alpha).")
        Tables.blackBox.markdown(r.blackBox, into: &md)
        md.heading("Surrogates: steal the model, then invert the copy")
        md.paragraph(
            "Softmax: equation solving (Tramer et al.): the answers at 0 and at a probe along each pixel give every weight up to "
                + "what the softmax cannot see. MLP: a \(S.surrogateHidden)-unit MLP trained on the oracle's answers for varied "
                + "held-out photos (shifts, brightness, noise; never a training photo), at several budgets. MI-Face then runs "
                + "white-box on the copy, costing no further queries. The control row is what the attacker's photos give with no "
                + "inversion at all: the mean of the photos the oracle labels as each subject.")
        Tables.surrogates.markdown(r.surrogateRows, into: &md)
        if let best = r.surrogates.filter({ $0.model == .mlp }).last {
            let sum = ScoreSummary(best.scores)
            md.paragraph(
                sum.nearestNeighbour > r.publicControl.nearestNeighbour
                    ? "The MLP surrogate's faces identify better than the control, so inverting the copy adds to what the photos give."
                    : "The MLP surrogate's faces identify no better than the control (\(Format.pct(sum.nearestNeighbour)) against "
                        + "\(Format.pct(r.publicControl.nearestNeighbour))): with photos of the subjects in hand, the stolen copy adds nothing "
                        + "here; its faces show what the photos taught it, not the training set.")
        }
        md.heading("The rounding countermeasure (the paper's Figure 11)")
        md.paragraph(
            "Answers rounded to r; the black-box attack (\(s.estimators.first?.description ?? "")), the surrogate attack and white-box MI-Face "
                + "on the same subjects (\(r.sweep.first?.inversions.count ?? 0) per model). \"failed\" counts faces whose descent never "
                + "found a direction: every probe, even the longest, came back with the same rounded answers.")
        Tables.rounding.markdown(r.sweep, into: &md)
        for m in [FaceModel.softmax, .mlp] {
            let point = breakingPoint(r, model: m, attack: .blackBox)
            md.paragraph(
                "\(m): black-box MI-Face "
                    + (point.map { "breaks (identification below 50 %) at r = \(roundingName($0))" }
                        ?? "never falls below 50 % identification")
                    + "; white-box MI-Face gives the same images at every r (it never reads the answers).")
        }
        md.paragraph("Black-box reconstructions, one row per r (top: unrounded), softmax's subjects then the MLP's:")
        md.image("rounding.png", alt: "black-box reconstructions per rounding")
        md.paragraph("The same for the surrogate attack:")
        md.image("rounding-surrogate.png", alt: "surrogate reconstructions per rounding")

        md.heading("Query monitor")
        md.paragraph(
            "The monitor sees each client's queries at the oracle, not its code. A query is suspicious when its RMS distance to a "
                + "50-component face basis (fitted on the operator's training photos) is above "
                + "\(Format.f3(Double(r.monitorSettings.residualThreshold))), or when it lies within RMS "
                + "\(Format.f3(Double(r.monitorSettings.duplicateDistance))) of one of the client's last \(r.monitorSettings.window) queries; "
                + "the alarm rises at \(r.monitorSettings.flagsToAlarm) suspicious queries in a window. Both thresholds come from 10 "
                + "simulated benign clients (varied training photos) with a margin of 1.5. Benign clients send varied held-out photos.")
        Tables.monitor.markdown(r.monitorRows, into: &md)
        let adaptive = r.monitorRows.filter(\.client.isAdaptive)
        if let hidden = adaptive.first(where: { $0.flagged == 0 }) {
            md.paragraph(
                "An attacker who knows the monitor evades it: \(hidden.client) was never flagged, at \(Format.f1(hidden.queries)) queries "
                    + "(cover included) for identification \(hidden.identification.map { Format.pct($0) } ?? "n/a"). Retraining on natural "
                    + "photos is never flagged either: a monitor of this kind raises the attacker's cost, it does not stop a patient one.")
        } else if !adaptive.isEmpty {
            md.paragraph("Every adaptive attacker tried here was still flagged.")
        }
    }
}
