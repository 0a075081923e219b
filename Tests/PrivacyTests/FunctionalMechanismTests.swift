import Foundation
import Learning
import MLCore
import Privacy
import Testing

struct FunctionalMechanismTests {
    /// Rows in [-1, 1]^d (first column the constant 1) and targets in [-1, 1], from a planted linear model.
    func data(n: Int, d: Int, seed: UInt64) -> (x: Matrix, y: [Float]) {
        var rng = SeededGenerator(seed: seed)
        var x = Matrix(rows: n, cols: d, repeating: 1)
        var y = [Float](repeating: 0, count: n)
        let w = (0..<d).map { _ in (rng.nextUniform() - 0.5) / Float(d) }
        for r in 0..<n {
            for c in 1..<d { x[r, c] = rng.nextUniform() * 2 - 1 }
            y[r] = max(-1, min(1, (0..<d).reduce(0) { $0 + w[$1] * x[r, $1] } + 0.1 * rng.nextNormal()))
        }
        return (x, y)
    }

    func l1(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) } }

    @Test func theObjectiveIsTheSumOfSquaredResiduals() {
        let (x, y) = data(n: 50, d: 4, seed: 1)
        let objective = QuadraticObjective(x: x, y: y)
        #expect(objective.coefficients.count == 1 + 4 + 10)
        let w = [0.3, -1.2, 0.5, 2.0]
        let direct = (0..<x.rows).reduce(0.0) { s, r in
            let e = Double(y[r]) - (0..<4).reduce(0.0) { $0 + Double(x[r, $1]) * w[$1] }
            return s + e * e
        }
        #expect(abs(objective.value(w) - direct) / direct < 1e-5)
    }

    @Test func neighbouringDatasetsDifferByAtMostTheSensitivity() {
        let d = 5
        let delta = FunctionalMechanism.sensitivity(dimension: d)
        #expect(delta == 2 * 36)
        var rng = SeededGenerator(seed: 2)
        let (x, y) = data(n: 30, d: d, seed: 3)
        let base = QuadraticObjective(x: x, y: y).coefficients
        var largest = 0.0
        for trial in 0..<500 {
            // Replace one tuple by another anywhere in the domain, often at its corners.
            var x2 = x
            var y2 = y
            let r = rng.nextInt(below: x.rows)
            for c in 1..<d {
                let u = rng.nextUniform() * 2 - 1
                x2[r, c] = trial % 2 == 0 ? (u < 0 ? -1 : 1) : u
            }
            y2[r] = trial % 3 == 0 ? (rng.nextUniform() < 0.5 ? -1 : 1) : rng.nextUniform() * 2 - 1
            largest = max(largest, l1(base, QuadraticObjective(x: x2, y: y2).coefficients))
        }
        #expect(largest <= delta)
        // The bound is not vacuous: corner tuples with opposite targets come within a factor of 2 of it.
        var xa = x
        var xb = x
        var ya = y
        var yb = y
        for c in 1..<d {
            xa[0, c] = 1
            xb[0, c] = c % 2 == 0 ? 1 : -1
        }
        ya[0] = 1
        yb[0] = -1
        let corner = l1(QuadraticObjective(x: xa, y: ya).coefficients, QuadraticObjective(x: xb, y: yb).coefficients)
        #expect(corner <= delta && corner >= 0.4 * delta)
    }

    @Test func theNoiseIsLaplaceWithScaleSensitivityOverEpsilon() {
        let (x, y) = data(n: 40, d: 3, seed: 4)
        let clean = QuadraticObjective(x: x, y: y)
        let mechanism = FunctionalMechanism(epsilon: 2)
        let b = FunctionalMechanism.sensitivity(dimension: 3) / 2
        #expect(mechanism.noiseScale(dimension: 3) == b)
        var rng = SeededGenerator(seed: 5)
        var noise: [Double] = []
        for _ in 0..<3000 {
            let noisy = mechanism.perturb(clean, using: &rng)
            noise += zip(noisy.coefficients, clean.coefficients).map { $0 - $1 }
        }
        let n = Double(noise.count)
        #expect(abs(noise.reduce(0, +) / n) < 0.03 * b)
        #expect(abs(noise.reduce(0) { $0 + abs($1) } / n - b) < 0.02 * b)  // E|X| = b
        let sorted = noise.sorted()
        var ks = 0.0
        for (i, t) in sorted.enumerated() {
            let f = t < 0 ? 0.5 * exp(t / b) : 1 - 0.5 * exp(-t / b)
            ks = max(ks, abs(f - Double(i + 1) / n), abs(f - Double(i) / n))
        }
        #expect(ks < 1.63 / n.squareRoot())
    }

    @Test func withoutNoiseTheMinimiserIsLeastSquares() throws {
        let (x, y) = data(n: 200, d: 4, seed: 6)
        let (w, trimmed) = try FunctionalMechanism.minimize(QuadraticObjective(x: x, y: y))
        let ols = try LinearAlgebra.leastSquares(x, y).coefficients
        #expect(trimmed == 0)
        for j in 0..<4 { #expect(abs(w[j] - ols[j]) < 1e-4) }
    }

    @Test func spectralTrimmingDropsDirectionsWithoutCurvature() throws {
        // 1 - 2 w0 + w0^2 - w1^2: unbounded below along w1; trimming keeps the w0 direction, minimised at 1.
        var objective = QuadraticObjective(x: Matrix(rows: 1, cols: 2), y: [0])
        objective.constant = 1
        objective.linear = [-2, 0]
        objective.quadratic = [1, 0, -1]
        let (w, trimmed) = try FunctionalMechanism.minimize(objective)
        #expect(trimmed == 1)
        #expect(abs(w[0] - 1) < 1e-12 && abs(w[1]) < 1e-12)
    }

    @Test func thePrivateFitConvergesToTheNonPrivateOneAsEpsilonGrows() throws {
        // Raw units: age-like, weight-like and a 0/1 column; target in 0...10.
        var rng = SeededGenerator(seed: 7)
        let n = 2000
        var x = Matrix(rows: n, cols: 3)
        var y = [Float](repeating: 0, count: n)
        for r in 0..<n {
            x[r, 0] = Float(rng.nextInt(below: 10))
            x[r, 1] = 40 + rng.nextUniform() * 80
            x[r, 2] = Float(rng.nextInt(below: 2))
            y[r] = 2 + 0.2 * x[r, 0] + 0.03 * x[r, 1] - 1 * x[r, 2] + 0.3 * rng.nextNormal()
        }
        let bounds: [ClosedRange<Float>] = [0...9, 30...130, 0...1]
        let ols = try LinearRegression.fit(x: x, y: y)
        func error(_ epsilon: Double) throws -> Double {
            var total = 0.0
            for trial in 0..<10 {
                var r = SeededGenerator(seed: 100 + UInt64(trial))
                let m = try FunctionalMechanism(epsilon: epsilon).fit(x: x, y: y, bounds: bounds, targetBounds: 0...10, using: &r).model
                total +=
                    zip(m.weights, ols.weights).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } + Double(abs(m.intercept - ols.intercept))
            }
            return total / 10
        }
        let errors = try [1.0, 100, 10_000, 1_000_000].map(error)
        #expect(errors[0] > errors[1] && errors[1] > errors[2] && errors[2] > errors[3])
        #expect(errors[3] < 1e-3)
        #expect(errors[0] > 0.1)
    }

    @Test func badBudgetsAndDataAreRefused() {
        var rng = SeededGenerator(seed: 8)
        let x = Matrix(rowVectors: [[1], [2]])
        #expect(throws: DefenseError.self) {
            try FunctionalMechanism(epsilon: 0).fit(x: x, y: [1, 2], bounds: [0...3], targetBounds: 0...3, using: &rng)
        }
        #expect {
            try FunctionalMechanism(epsilon: 1).fit(x: x, y: [1, .nan], bounds: [0...3], targetBounds: 0...3, using: &rng)
        } throws: { "\($0)".contains("NaN") }
        #expect(throws: DefenseError.self) {
            try FunctionalMechanism(epsilon: 1).fit(x: x, y: [1, 2], bounds: [3...3], targetBounds: 0...3, using: &rng)
        }
        let scaled = try? FunctionalMechanism.scaled(
            x: Matrix(rowVectors: [[-5], [1.5], [99]]), y: [0, 3, 9], bounds: [0...3], targetBounds: 0...3)
        #expect(scaled?.x.data == [1, -1, 1, 0, 1, 1])
        #expect(scaled?.y == [-1, 1, 1])
    }
}
