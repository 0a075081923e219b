import Foundation
import MLCore
import Testing

struct LinearAlgebraTests {
    @Test func leastSquaresRecoversAnExactSolutionAndMatchesTheNormalEquations() throws {
        // Exact: b = A x for a known x.
        let a = Matrix(rowVectors: [[1, 2, 0], [0, 1, 1], [1, 0, 3], [2, 1, 1], [1, 1, 1]])
        let x: [Double] = [0.5, -2, 3]
        let b = (0..<a.rows).map { r in Float((0..<3).reduce(0.0) { $0 + Double(a[r, $1]) * x[$1] }) }
        let exact = try LinearAlgebra.leastSquares(a, b)
        #expect(exact.rank == 3)
        for j in 0..<3 { #expect(abs(exact.coefficients[j] - x[j]) < 1e-5) }

        // Inconsistent: the solution of A^T A x = A^T b (worked by hand for a 3x2 system).
        // A = [[1,0],[1,1],[1,2]], b = [1,2,2]: A^T A = [[3,3],[3,5]], A^T b = [5,6] -> x = [7/6, 1/2].
        let line = try LinearAlgebra.leastSquares(Matrix(rowVectors: [[1, 0], [1, 1], [1, 2]]), [1, 2, 2])
        #expect(abs(line.coefficients[0] - 7.0 / 6) < 1e-6 && abs(line.coefficients[1] - 0.5) < 1e-6)
        #expect(line.singularValues.count == 2 && line.singularValues[0] >= line.singularValues[1])
    }

    @Test func leastSquaresReportsRankDeficiencyAndRejectsBadInput() throws {
        // The third column is the sum of the first two.
        let a = Matrix(rowVectors: [[1, 0, 1], [0, 1, 1], [1, 1, 2], [2, 1, 3]])
        let s = try LinearAlgebra.leastSquares(a, [1, 2, 3, 4])
        #expect(s.rank == 2)
        #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.leastSquares(a, [1, 2, 3]) }
        #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.leastSquares(a, [1, .nan, 3, 4]) }
        #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.leastSquares(Matrix(rows: 0, cols: 2), []) }
    }

    @Test func symmetricEigenReconstructsTheMatrix() throws {
        let m: [Double] = [4, 1, -2, 1, 2, 0, -2, 0, 3]
        let e = try LinearAlgebra.symmetricEigen(m, n: 3)
        #expect(e.values == e.values.sorted())
        #expect(abs(e.values.reduce(0, +) - 9) < 1e-9)  // the trace
        for i in 0..<3 {
            for j in 0..<3 {
                let v = (0..<3).reduce(0.0) { $0 + e.vectors[i * 3 + $1] * e.values[$1] * e.vectors[j * 3 + $1] }
                #expect(abs(v - m[i * 3 + j]) < 1e-9)
            }
        }
        #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.symmetricEigen([1, 2, 3], n: 2) }
    }
}

struct ROCTests {
    @Test func aucCountsOrderedPairsWithTiesAsHalf() {
        #expect(ROC.auc(scores: [0.1, 0.2, 0.8, 0.9], positives: [false, false, true, true]) == 1)
        #expect(ROC.auc(scores: [0.9, 0.8, 0.2, 0.1], positives: [false, false, true, true]) == 0)
        #expect(ROC.auc(scores: [0.5, 0.5, 0.5], positives: [true, false, false]) == 0.5)
        // By hand: positives 0.7, 0.4; negatives 0.5, 0.4, 0.1. 0.7 beats all three (3); 0.4 beats 0.1,
        // ties 0.4 and loses to 0.5 (1.5): 4.5 of 6 pairs.
        #expect(abs(ROC.auc(scores: [0.7, 0.4, 0.5, 0.4, 0.1], positives: [true, true, false, false, false]) - 4.5 / 6) < 1e-12)
        #expect(ROC.auc(scores: [0.1, 0.2], positives: [true, true]).isNaN)
    }

    @Test func oneVsRestAveragesThePresentClasses() {
        // A perfect three-class scorer, and one that knows nothing (constant scores).
        let labels = [0, 1, 2, 0, 1, 2]
        let perfect = labels.map { l in (0..<3).map { $0 == l ? 0.9 : 0.05 } }
        #expect(ROC.oneVsRestAUC(scores: perfect, labels: labels, classCount: 3) == 1)
        let flat = labels.map { _ in [0.2, 0.3, 0.5] }
        #expect(ROC.oneVsRestAUC(scores: flat, labels: labels, classCount: 3) == 0.5)
        // Two classes: the AUC of class 1's score.
        #expect(ROC.oneVsRestAUC(scores: [[0.8, 0.2], [0.3, 0.7]], labels: [0, 1], classCount: 2) == 1)
        // A class never present is left out rather than counted as NaN.
        #expect(ROC.oneVsRestAUC(scores: perfect.map { $0 + [0] }, labels: labels, classCount: 4) == 1)
    }
}

struct LaplaceTests {
    @Test func laplaceDeviatesHaveTheLaplaceDistribution() {
        var rng = SeededGenerator(seed: 11)
        let b = 3.0
        let n = 200_000
        let x = (0..<n).map { _ in rng.nextLaplace(scale: b) }
        let mean = x.reduce(0, +) / Double(n)
        let meanAbs = x.reduce(0) { $0 + abs($1) } / Double(n)
        let variance = x.reduce(0) { $0 + $1 * $1 } / Double(n)
        #expect(abs(mean) < 0.05)  // sd of the mean: sqrt(2) b / sqrt(n) = 0.0095
        #expect(abs(meanAbs - b) < 0.05)  // E|X| = b
        #expect(abs(variance - 2 * b * b) / (2 * b * b) < 0.03)  // Var X = 2 b^2
        // Kolmogorov-Smirnov distance to F(t) = 1/2 exp(t/b) (t < 0), 1 - 1/2 exp(-t/b) (t >= 0).
        let sorted = x.sorted()
        var d = 0.0
        for (i, t) in sorted.enumerated() {
            let f = t < 0 ? 0.5 * exp(t / b) : 1 - 0.5 * exp(-t / b)
            d = max(d, abs(f - Double(i + 1) / Double(n)), abs(f - Double(i) / Double(n)))
        }
        #expect(d < 1.63 / Double(n).squareRoot())  // the 1 % critical value
    }
}
