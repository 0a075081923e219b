import Learning
import MLCore
import Testing

@testable import Learning

/// Logistic regression fitted by Newton's method: its derivatives, its optimum, its errors.
struct LogisticRegressionTests {
    /// Newton's gradient and Hessian against central differences of the objective.
    @Test func theLogisticObjectivesDerivativesMatchFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 9)
        let x = Matrix(rows: 40, cols: 3, data: (0..<120).map { _ in rng.nextNormal() })
        let labels = (0..<40).map { _ in Int(rng.next() % 4) }
        let f = LogisticObjective(x: x, labels: labels, classCount: 4, l2: 0.05)
        let theta = (0..<16).map { _ in 0.5 * Double(rng.nextNormal()) }
        let state = f.evaluate(theta)
        let g = f.gradient(theta, probabilities: state.probabilities)
        let h = f.hessian(probabilities: state.probabilities)
        let e = 1e-5
        for j in theta.indices {
            var up = theta
            var down = theta
            up[j] += e
            down[j] -= e
            let slope: Double = (f.evaluate(up).objective - f.evaluate(down).objective) / (2 * e)
            #expect(abs(slope - g[j]) < 1e-7, "gradient \(j)")
            let gUp = f.gradient(up, probabilities: f.evaluate(up).probabilities)
            let gDown = f.gradient(down, probabilities: f.evaluate(down).probabilities)
            for i in theta.indices {
                let curvature: Double = (gUp[i] - gDown[i]) / (2 * e)
                #expect(abs(curvature - h[i * theta.count + j]) < 1e-6, "Hessian \(i), \(j)")
            }
        }
    }

    /// On separable-enough data Newton converges in a few steps to a gradient below the tolerance, and the fitted
    /// classifier predicts the planted classes; assessing its own coefficients gives back the same objective.
    @Test func newtonConvergesAndAssessingItsAnswerAgrees() throws {
        var rng = SeededGenerator(seed: 4)
        var x = Matrix(rows: 300, cols: 2)
        var labels: [Int] = []
        for r in 0..<300 {
            let c = r % 3
            labels.append(c)
            x[r, 0] = Float(c) + 0.5 * rng.nextNormal()
            x[r, 1] = Float(c % 2) + 0.5 * rng.nextNormal()
        }
        let model = LogisticRegression(l2: 1e-3)
        let fitted = try model.fit(x: x, labels: labels, classCount: 3)
        #expect(fitted.fit.largestGradient < 1e-9 && fitted.fit.iterations < 30)
        #expect(fitted.classifier.accuracy(x, labels: labels) > 0.8)
        let again = try model.assess(fitted.classifier, x: x, labels: labels, classCount: 3, iterations: 0)
        #expect(abs(again.fit.objective - fitted.fit.objective) < 1e-6)
        #expect(throws: TrainingError.self) { try model.fit(x: x, labels: labels.map { $0 + 1 }, classCount: 3) }
        #expect(throws: TrainingError.self) { try LogisticRegression(l2: -1).fit(x: x, labels: labels, classCount: 3) }
    }
}
