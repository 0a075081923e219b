import Foundation
import Testing

@testable import Privacy

/// The accountant against the reference values of PAPERS.md (independent implementations, integer orders).
struct RDPAccountantTests {
    /// (noise, q, steps, improved conversion, classic conversion) at delta 1e-5.
    static let reference: [(Double, Double, Int, Double, Double)] = [
        (1.1, 256.0 / 60000, 14063, 2.5971, 3.0092), (1.0, 0.01, 1000, 2.1078, 2.5383), (0.5, 0.02, 500, 20.7330, 22.1193),
        (2.0, 0.001, 10000, 0.2013, 0.2952), (0.8, 100.0 / 2505, 2505, 25.1344, 26.5207),
    ]

    @Test func bothConversionsMatchTheReferenceValues() {
        for (sigma, q, steps, improved, classic) in Self.reference {
            let a = RDPAccountant.epsilon(q: q, noise: sigma, steps: steps, delta: 1e-5, conversion: .improved).epsilon
            let b = RDPAccountant.epsilon(q: q, noise: sigma, steps: steps, delta: 1e-5, conversion: .classic).epsilon
            #expect(abs(a - improved) < 1e-3, "sigma \(sigma), q \(q), \(steps) steps: improved \(a), reference \(improved)")
            #expect(abs(b - classic) < 1e-3, "sigma \(sigma), q \(q), \(steps) steps: classic \(b), reference \(classic)")
        }
    }

    @Test func closedFormsAtTheEdges() {
        // Without sampling (q = 1) one step is the Gaussian mechanism: RDP a / (2 sigma^2).
        #expect(abs(RDPAccountant.stepRDP(q: 1, noise: 2, order: 8) - 1) < 1e-12)
        #expect(RDPAccountant.stepRDP(q: 0, noise: 2, order: 8) == 0)
        // Order 2 in closed form: log(1 + q^2 (e^(1/sigma^2) - 1)).
        let q = 0.03
        let sigma = 1.3
        #expect(abs(RDPAccountant.stepRDP(q: q, noise: sigma, order: 2) - log(1 + q * q * (exp(1 / (sigma * sigma)) - 1))) < 1e-12)
        #expect(RDPAccountant.delta(forRecords: 5010) == 1e-4 && RDPAccountant.delta(forRecords: 10_000) == 1e-4)
        #expect(RDPAccountant.delta(forRecords: 400) == 1e-3)
    }

    @Test func theInverseRoundTrips() throws {
        for target in [1.0, 4, 8, 16] {
            for conversion in RDPAccountant.Conversion.allCases {
                let sigma = try RDPAccountant.noiseMultiplier(
                    forEpsilon: target, q: 100.0 / 2505, steps: 1253, delta: 1e-4, conversion: conversion)
                let eps = RDPAccountant.epsilon(q: 100.0 / 2505, noise: sigma, steps: 1253, delta: 1e-4, conversion: conversion).epsilon
                #expect(eps <= target && eps > target * 0.995, "\(conversion) target \(target): sigma \(sigma) gives \(eps)")
            }
        }
        #expect(throws: OracleError.self) { try RDPAccountant.noiseMultiplier(forEpsilon: 0, q: 0.1, steps: 10, delta: 1e-5) }
    }
}
