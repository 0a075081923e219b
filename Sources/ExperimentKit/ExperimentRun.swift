import Datasets
import Foundation
import Learning
import MLCore
import Reporting

/// One run of an experiment: its header, its resolved settings, its data, its timings, its output folder.
///
/// `ExperimentRun.perform` is the whole life of a run: it prints the header, checks `--out` before any
/// work (making the partial output folder), lets the body compute and write, then writes `config.csv`,
/// `timings.csv`, `claims.csv` and `headline.txt` and puts the folder in place at once. An error or a
/// signal removes the partial folder and leaves the previous results as they were.
public final class ExperimentRun {
    /// The experiment's name (the executable's and the output folder's).
    public let name: String
    /// The seed of the run.
    public let seed: UInt64
    /// Whether `--quick` was given.
    public let quick: Bool
    /// The dataset store (`--data`, `$INVERSIONLAB_DATA`, then `data/` under the package root).
    public let store: DatasetStore
    /// The BLAS the run computes with.
    public let blas: BLASInfo
    /// Wall-clock figures (timings.csv); nothing else the run writes may hold one.
    public var timings = Timings()
    /// The paper's claims beside this run's numbers (claims.csv and the report's table).
    public var claims: [Claim] = []
    /// One sentence with the run's headline numbers (headline.txt; `Scripts/reproduce-all.sh` indexes it).
    public var headline = ""
    let output: OutputFolder
    private var config: [(key: String, value: String, source: String)] = []
    private let started = Date()

    private init<E: ExperimentDescription>(_ common: CommonOptions<E>, title: String, folder: String?) throws {
        name = E.name
        seed = common.seed
        quick = common.quick
        blas = BLASInfo.current()
        Console.line("\(E.name): \(title) (seed \(seed)\(quick ? ", quick" : ""))")
        Console.blas(blas)
        output = try OutputFolder.prepare(common.out ?? PackageRoot.path("out/\(folder ?? E.name)"))
        let dataRoot = PackageRoot.path("data")
        store = DatasetStore(override: common.data, localRoot: dataRoot, timeout: common.downloadTimeout)
        let folder = output
        Interruptions.onInterrupt {
            folder.discardAndHold()
            FileSystem.sweepPartials(in: dataRoot, includingOwn: true)
        }
        Console.line("Results: \(output.target) (written aside and put in place when the run is complete)")
        record("experiment", E.name, source: "run")
        record("seed", seed, source: common.seed == E.defaultSeed ? "default" : "option")
        record("quick", quick, source: quick ? "option" : "default")
    }

    /// Runs `body` as an experiment: header, checks and partial folder first, results put in place at the end;
    /// on an error the partial folder is removed and the error rethrown. Without `--out` the results go to
    /// `out/<folder>` (default: the experiment's name) under the package root.
    public static func perform<E: ExperimentDescription>(
        _ common: CommonOptions<E>, title: String, folder: String? = nil, _ body: (ExperimentRun) throws -> Void
    ) throws {
        let run = try ExperimentRun(common, title: title, folder: folder)
        do {
            try body(run)
            try run.finish()
        } catch {
            run.output.discard()
            throw error
        }
    }

    // MARK: Settings

    /// Resolves a setting: the value given on the command line wins; else `--quick`'s value in quick mode
    /// (the change is printed); else the default. Every resolved setting lands in config.csv with its source.
    public func setting<T: CustomStringConvertible & Equatable>(_ key: String, given: T?, default standard: T, quick short: T? = nil) -> T {
        if let given {
            record(key, given, source: "option")
            return given
        }
        if quick, let short, short != standard {
            Console.line("  --quick: \(key) \(short) (default \(standard); give the option to choose another)")
            record(key, short, source: "quick")
            return short
        }
        record(key, standard, source: "default")
        return standard
    }

    /// Records a fixed or derived setting in config.csv.
    public func record<T: CustomStringConvertible>(_ key: String, _ value: T, source: String = "fixed") {
        config.append((key, value.description, source))
    }

    // MARK: Sections, data, time

    /// Prints a numbered section heading (`== 2. Train ==`).
    public func section(_ number: Int, _ title: String) {
        Console.section(number, title)
        Interruptions.pauseIfAsked(at: "section-\(number)")
    }

    /// Loads data through the store and prints which copy of each dataset was used, and why.
    public func load<T>(_ body: (DatasetStore) throws -> T) throws -> T {
        let before = store.locations.count
        let value = try body(store)
        for l in store.locations[before...] {
            Console.line("  \(l.name): \(l.folder) (\(l.reason); \(l.files) files verified by SHA-256)")
        }
        return value
    }

    /// Runs `body`, records its wall-clock time under `what` (with the paper's figure, if any) and returns its value.
    public func time<T>(_ what: String, paper: Double? = nil, _ body: () throws -> T) rethrows -> T {
        let start = Date()
        let value = try body()
        timings.record(what, seconds: Date().timeIntervalSince(start), paper: paper)
        return value
    }

    /// Seconds since the run started.
    public var elapsed: Double { Date().timeIntervalSince(started) }

    /// "seed N" and whether the settings are the paper's, for a report's first paragraph.
    public var description: String {
        "seed \(seed)" + (quick ? " in --quick mode (smaller settings: not the paper's)" : "")
    }

    // MARK: Writing

    /// The absolute path the results will have once the run is complete.
    public var outputPath: String { output.target }

    /// Writes bytes into the output folder at `relative`.
    public func write(_ bytes: [UInt8], to relative: String) throws { try output.write(bytes, to: relative) }

    /// Writes UTF-8 text.
    public func write(_ text: String, to relative: String) throws { try write(Array(text.utf8), to: relative) }

    /// Writes a CSV table.
    public func write(_ table: CSVTable, to relative: String) throws { try write(table.rendered, to: relative) }

    /// Writes an image as PNG.
    public func write(_ image: Image8, to relative: String) throws { try write(try PNG.encode(image), to: relative) }

    /// Writes a network as a model folder (`layers.txt` and one `.npy` per tensor; see `ModelIO`).
    public func write(model: Network, to folder: String) throws {
        for (name, bytes) in ModelIO.files(model) { try write(bytes, to: folder + "/" + name) }
    }

    private func finish() throws {
        for l in store.locations {
            record("dataset_\(l.name)_catalog_sha256", l.catalogDigest, source: "catalog")
            record("dataset_\(l.name)_files", l.files, source: "catalog")
        }
        record("blas_core", blas.coreName, source: "environment")
        var table = CSVTable(header: ["key", "value", "source"])
        for c in config { table.append([.text(c.key), .text(c.value), .text(c.source)]) }
        try write(table, to: "config.csv")
        if !claims.isEmpty { try write(Claim.table(claims), to: "claims.csv") }
        if !headline.isEmpty { try write(headline + "\n", to: "headline.txt") }
        timings.record("whole_run", seconds: elapsed)
        try write(timings.table, to: "timings.csv")
        try output.commit()
        Console.line("  done in \(Format.f1(elapsed)) s; open \((output.target as NSString).appendingPathComponent("report.md"))")
    }
}
