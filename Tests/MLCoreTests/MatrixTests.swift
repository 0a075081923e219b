import Foundation
import MLCore
import Testing

@Suite(.serialized) struct MatrixTests {
    func random(_ r: Int, _ c: Int, _ rng: inout SeededGenerator) -> Matrix {
        var m = Matrix(rows: r, cols: c)
        for i in m.data.indices { m.data[i] = rng.nextUniform() * 2 - 1 }
        return m
    }

    func naive(_ a: Matrix, _ b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, cols: b.cols)
        for i in 0..<a.rows { for j in 0..<b.cols { for k in 0..<a.cols { c[i, j] += a[i, k] * b[k, j] } } }
        return c
    }

    func maxDiff(_ a: Matrix, _ b: Matrix) -> Float {
        zip(a.data, b.data).map { abs($0 - $1) }.max() ?? 0
    }

    @Test func gemmMatchesNaiveProductForEveryTransposition() {
        var rng = SeededGenerator(seed: 1)
        let a = random(5, 7, &rng)
        let b = random(7, 3, &rng)
        let expected = naive(a, b)
        #expect(maxDiff(Matrix.product(a, .none, b, .none), expected) < 1e-5)
        #expect(maxDiff(Matrix.product(a.transposed, .transposed, b, .none), expected) < 1e-5)
        #expect(maxDiff(Matrix.product(a, .none, b.transposed, .transposed), expected) < 1e-5)
        #expect(maxDiff(Matrix.product(a.transposed, .transposed, b.transposed, .transposed), expected) < 1e-5)
        var c = expected
        Matrix.gemm(a, .none, b, .none, into: &c, alpha: 2, beta: -1)
        #expect(maxDiff(c, expected) < 1e-5)
    }

    @Test func columnSplitProductEqualsPlainProduct() {
        var rng = SeededGenerator(seed: 2)
        let a = random(40, 400, &rng)
        let b = random(400, 333, &rng)
        var c1 = random(40, 333, &rng)
        var c2 = c1
        Matrix.gemm(a, .none, b, .none, into: &c1, alpha: -1, beta: 1)
        Matrix.gemmSplittingColumns(a, b, into: &c2, alpha: -1, beta: 1, parts: 3)
        #expect(maxDiff(c1, c2) < 1e-3)
        #expect(maxDiff(c1, naive(a, b)) > 1)  // beta and alpha were applied, so it is not the bare product
    }

    @Test func rowHelpersAndSums() {
        let m = Matrix(rowVectors: [[1, 2], [3, 4], [5, 6]])
        #expect(m.rows([2, 0]) == Matrix(rowVectors: [[5, 6], [1, 2]]))
        #expect(m.columnSums() == [9, 12])
        #expect(m.transposed == Matrix(rowVectors: [[1, 3, 5], [2, 4, 6]]))
        var n = m
        n.addRowVector([10, 20])
        #expect(n.row(1) == [13, 24])
        #expect(abs(m.squaredNorm - 91) < 1e-3)
    }
}

struct GeneratorTests {
    @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let xa = (0..<5).map { _ in a.next() }
        #expect(xa == (0..<5).map { _ in b.next() })
        #expect(xa != (0..<5).map { _ in c.next() })
    }

    @Test func drawsAreInRangeAndRoughlyUniform() {
        var g = SeededGenerator(seed: 7)
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<10_000 {
            let i = g.nextInt(below: 5)
            counts[i] += 1
            let u = g.nextUniform()
            #expect(u >= 0 && u < 1)
        }
        #expect(counts.allSatisfy { abs($0 - 2000) < 200 })
        let normals = (0..<20_000).map { _ in g.nextNormal() }
        #expect(abs(Statistics.mean(normals)) < 0.03)
        #expect(abs(Statistics.standardDeviation(normals) - 1) < 0.03)
        #expect(g.permutation(10).sorted() == Array(0..<10))
        #expect(Set(g.sample(Array(0..<10), count: 4)).count == 4)
    }
}

struct NPYTests {
    @Test func roundTripKeepsValuesAndShape() throws {
        let m = Matrix(rowVectors: [[1, -2.5, 3], [.pi, 0, 1e-7]])
        let bytes = NPY.encode(m)
        #expect((bytes.count - 6 * 4) % 64 == 0)  // header padded to 64 bytes, as NumPy writes it
        let (values, shape) = try NPY.decode(bytes)
        #expect(shape == [2, 3])
        #expect(values == m.data)
        let (v1, s1) = try NPY.decode(NPY.encode([1, 2], shape: [2]))
        #expect(s1 == [2] && v1 == [1, 2])
    }

    @Test func brokenFilesAreRejectedWithAReason() {
        let good = NPY.encode(Matrix(rowVectors: [[1, 2]]))
        #expect(throws: NPYError.self) { try NPY.decode(Array(good.dropLast())) }
        #expect(throws: NPYError.self) { try NPY.decode([1, 2, 3]) }
        // Headers written by hand (the magic byte 0x93 is not UTF-8, so the text part is built apart from it).
        func npy(_ header: String, _ payload: [UInt8]) -> [UInt8] {
            let text = Array(header.utf8)
            return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count), 0] + text + payload
        }
        let float64 = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n", [0, 0, 0, 0, 0, 0, 240, 63])
        #expect { try NPY.decode(float64) } throws: { "\($0)".contains("float32") }
        // A shape whose product overflows (found by Scripts/fuzz.sh) is an error, not an arithmetic trap.
        let huge = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, +260621604791674470), }\n", [0, 0, 128, 63])
        #expect { try NPY.decode(huge) } throws: { "\($0)".contains("more values than the file holds") }
    }
}

struct StatisticsTests {
    @Test func standardisationAndCorrelation() {
        let z = Statistics.standardized([1, 2, 3, 4])
        #expect(abs(Statistics.mean(z)) < 1e-6)
        #expect(abs(Statistics.standardDeviation(z) - 1) < 1e-5)
        #expect(Statistics.standardized([5, 5]) == [0, 0])
        #expect(abs(Statistics.correlation([1, 2, 3], [2, 4, 6]) - 1) < 1e-5)
        #expect(abs(Statistics.correlation([1, 2, 3], [3, 2, 1]) + 1) < 1e-5)
        #expect(Statistics.argmax([1, 5, 2][...]) == 1)
        #expect(Statistics.topK([0.1, 0.5, 0.2, 0.9][...], 2) == [3, 1])
    }

    @Test func blasCoreRecommendation() {
        #expect(BLASInfo.recommendedCoreType(cpuFlags: ["avx2", "fma"]) == "Haswell")
        #expect(BLASInfo.recommendedCoreType(cpuFlags: ["avx2", "avx512f"]) == "SkylakeX")
        #expect(BLASInfo.recommendedCoreType(cpuFlags: ["sse2"]) == nil)
        let generic = BLASInfo(coreName: "Prescott", threads: 2, coreTypeVariable: nil, recommendedCoreType: "Haswell")
        #expect(generic.isMisdetected)
        #expect(generic.warning?.contains("OPENBLAS_CORETYPE=Haswell") == true)
        let fine = BLASInfo(coreName: "Haswell", threads: 2, coreTypeVariable: nil, recommendedCoreType: "Haswell")
        #expect(fine.warning == nil)
    }
}
