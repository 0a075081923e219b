import ArgumentParser

/// What the kit needs to know about an experiment: its name (the executable's, the output folder's) and
/// the seed it uses when none is given.
public protocol ExperimentDescription {
    /// The executable's name as a user types it, e.g. `Fredrikson2015Faces`; also `out/<name>/`.
    static var name: String { get }
    /// The seed of a run without `--seed`.
    static var defaultSeed: UInt64 { get }
}

/// The options every experiment has: `--seed`, `--quick`, `--out`, `--data`, `--download-timeout`.
/// An experiment takes them as `@OptionGroup var common: CommonOptions<Self>`.
public struct CommonOptions<Experiment: ExperimentDescription>: ParsableArguments {
    /// Seed of every random choice of the run.
    @Option(help: "Seed of every random choice; the same seed gives byte-identical CSV files.")
    public var seed: UInt64 = Experiment.defaultSeed

    /// Seconds instead of minutes: smaller models and fewer repetitions, for CI and a first look.
    @Flag(help: "Seconds instead of minutes (smaller models, fewer repetitions). Options given explicitly still win.")
    public var quick = false

    /// The output folder as given, or nil for `out/<name>` under the package root.
    @Option(help: ArgumentHelp("Output folder (default: out/\(Experiment.name) under the package root).", valueName: "dir"))
    public var out: String?

    /// The dataset folder or mirror URL as given, or nil.
    @Option(
        help: ArgumentHelp(
            "Dataset folder or http(s) URL laid out like data/ (default: $INVERSIONLAB_DATA, then data/ under the package root).",
            valueName: "dir|url"))
    public var data: String?

    /// Seconds a download may wait for the server before it fails.
    @Option(help: ArgumentHelp("Seconds a dataset download waits for the server to answer before it fails.", valueName: "seconds"))
    public var downloadTimeout: Double = 30

    /// The options with their defaults.
    public init() {}

    /// Checks the values that parsing alone cannot.
    public func validate() throws {
        guard downloadTimeout > 0, downloadTimeout.isFinite else {
            throw ValidationError("--download-timeout must be a positive number of seconds (got \(downloadTimeout))")
        }
        if let out, out.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--out must name a folder (got an empty string)")
        }
    }
}
