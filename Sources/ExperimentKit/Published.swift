/// The numbers each reproduced paper publishes, in one place: option defaults, reports, claims and
/// benchmarks read them here. "Approx." marks figures `PAPERS.md` could not check against the paper's table.
public enum Published {
    /// M. Fredrikson, S. Jha, T. Ristenpart, Model Inversion Attacks that Exploit Confidence Information and
    /// Basic Countermeasures, CCS 2015 (doi:10.1145/2810103.2813677), section 5.
    public enum Fredrikson2015 {
        /// How reports cite it.
        public static let citation = "Fredrikson et al., CCS 2015"
        /// Test error of each face recogniser on the 120 test images (approx.: 9, 5 and 4 errors).
        public static let testError: [String: Double] = ["softmax": 0.075, "mlp": 0.042, "dae": 0.033]
        /// White-box MI-Face seconds per face on the authors' machine and code (approx.).
        public static let whiteBoxSecondsPerFace: [String: Double] = ["softmax": 1.4, "mlp": 1298.7, "dae": 692.5]
        /// Share of Mechanical Turk workers who picked the right person from a line-up of five (chance 20 %).
        public static let lineupAccuracy = 0.80
        /// The same for the workers the paper calls skilled.
        public static let lineupAccuracySkilled = 0.95
        /// Algorithm 1: maximum iterations.
        public static let alpha = 5000
        /// Algorithm 1: the no-improvement window.
        public static let beta = 100
        /// Algorithm 1: the stopping threshold.
        public static let gamma: Float = 0.99
        /// Algorithm 1: the step size.
        public static let lambda: Float = 0.1
        /// The MLP's hidden units.
        public static let mlpHidden = 3000
        /// Confidence rounding levels of the countermeasure.
        public static let roundingLevels: [Float] = [0.001, 0.005, 0.01, 0.05, 0.1]
    }

    /// M. Fredrikson, E. Lantz, S. Jha, S. Lin, D. Page, T. Ristenpart, Privacy in Pharmacogenetics: An End-to-End
    /// Case Study of Personalized Warfarin Dosing, USENIX Security 2014.
    public enum Fredrikson2014 {
        /// How reports cite it.
        public static let citation = "Fredrikson et al., USENIX Security 2014"
        /// The privacy budgets of its figures.
        public static let epsilons: [Double] = [0.25, 1, 5, 20, 100]
        /// The share of the cohort the IWPC held out for validation.
        public static let heldOutShare = 0.2
    }
}
