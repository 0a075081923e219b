import MLCore
import Privacy
import Testing

struct EvaluationTests {
    /// Twenty subjects, two gallery images each, distinct random patterns.
    static func gallery() -> (Matrix, [Int]) {
        var rng = SeededGenerator(seed: 5)
        var rows: [[Float]] = []
        var subjects: [Int] = []
        for s in 0..<20 {
            let base = (0..<100).map { _ in rng.nextUniform() }
            for _ in 0..<2 {
                rows.append(base.map { $0 + 0.05 * rng.nextUniform() })
                subjects.append(s)
            }
        }
        return (Matrix(rowVectors: rows), subjects)
    }

    @Test func aDarkLowContrastCopyIsStillIdentified() {
        let (g, s) = EvaluationTests.gallery()
        let id = Identification(gallery: g, subjects: s, subjectCount: 20)
        let dim = g.row(6).map { 0.02 + 0.1 * $0 }  // subject 3, far darker and flatter than the photos
        #expect(id.nearestSubject(dim) == 3)
        var rng = SeededGenerator(seed: 1)
        #expect(id.lineupAccuracy(dim, subject: 3, trials: 200, using: &rng) == 1)
    }

    @Test func anUnrelatedImageWinsLineupsAtChance() {
        let (g, s) = EvaluationTests.gallery()
        let id = Identification(gallery: g, subjects: s, subjectCount: 20)
        var rng = SeededGenerator(seed: 2)
        var total = 0.0
        var count = 0.0
        for subject in 0..<20 {
            for _ in 0..<25 {  // a fresh unrelated image each time: one image's rank would decide all its line-ups
                let noise = (0..<100).map { _ in rng.nextUniform() }
                total += id.lineupAccuracy(noise, subject: subject, trials: 40, using: &rng)
                count += 1
            }
        }
        #expect(abs(total / count - 0.2) < 0.04)
    }

    @Test func ssimIsOneForTheSameStructureAndLowForUnrelatedImages() {
        var rng = SeededGenerator(seed: 3)
        let w = 24
        let h = 20
        let a = (0..<(w * h)).map { i in Float((i % w) / 4 % 2) + 0.1 * rng.nextUniform() }
        #expect(abs(SSIM.score(a, a, width: w, height: h) - 1) < 1e-4)
        #expect(abs(SSIM.score(a, a.map { 0.3 + 0.1 * $0 }, width: w, height: h) - 1) < 1e-3)  // brightness and contrast do not count
        let noise = (0..<(w * h)).map { _ in rng.nextUniform() }
        #expect(SSIM.score(a, noise, width: w, height: h) < 0.3)
        #expect(SSIM.score(a, a.map { -$0 }, width: w, height: h) < 0)
    }
}
