import Learning
import MLCore
import Testing

struct LinearRegressionTests {
    @Test func fitRecoversPlantedCoefficientsAndTheResidualSpread() throws {
        var rng = SeededGenerator(seed: 3)
        let n = 2000
        let w: [Float] = [1.5, -0.7, 0.0, 2.0]
        let b: Float = 4
        var x = Matrix(rows: n, cols: 4)
        var y = [Float](repeating: 0, count: n)
        for r in 0..<n {
            for c in 0..<4 { x[r, c] = c == 3 ? Float(rng.nextInt(below: 2)) : rng.nextNormal() * 10 + 50 }
            y[r] = b + (0..<4).reduce(0) { $0 + w[$1] * x[r, $1] } + 0.5 * rng.nextNormal()
        }
        let model = try LinearRegression.fit(x: x, y: y)
        for c in 0..<4 { #expect(abs(model.weights[c] - w[c]) < 0.02) }
        #expect(abs(model.intercept - b) < 0.3)
        #expect(abs(model.residualStandardDeviation(x: x, y: y) - 0.5) < 0.03)
        let p = model.predict(x)
        #expect(abs(p[0] - (model.intercept + (0..<4).reduce(0) { $0 + model.weights[$1] * x[0, $1] })) < 1e-3)
    }

    @Test func outputRangeClipsPredictions() {
        let model = LinearRegression(weights: [1], intercept: 0, outputRange: 0...2)
        #expect(model.predict(Matrix(rowVectors: [[-5], [1], [7]])) == [0, 1, 2])
    }

    @Test func constantColumnsMissingValuesAndShapesAreNamedErrors() {
        let x = Matrix(rowVectors: [[1, 0], [2, 0], [3, 0], [4, 0]])
        #expect {
            try LinearRegression.fit(x: x, y: [1, 2, 3, 4], columnNames: ["dose", "cyp2c9_33"])
        } throws: { "\($0)".contains("'cyp2c9_33' is constant") }
        #expect { try LinearRegression.fit(x: Matrix(rowVectors: [[1], [.nan], [3]]), y: [1, 2, 3]) } throws: { "\($0)".contains("row 1") }
        #expect(throws: RegressionError.self) { try LinearRegression.fit(x: x, y: [1, 2]) }
        #expect(throws: RegressionError.self) { try LinearRegression.fit(x: Matrix(rowVectors: [[1, 2]]), y: [1]) }
    }
}
