import Datasets
import Foundation
import Learning
import MLCore

/// Trained models kept between runs, outside the all-or-nothing output folder: a folder named by what determines
/// the models (dataset, seed, every training setting) holding one model folder per index, each written aside and
/// renamed into place whole. A second run with the same settings finds them and skips training; a run with other
/// settings gets another folder. Shards of one job (other processes, other machines sharing the folder) fill the
/// same folder without clashing, since each model is one atomic rename.
public struct ModelCache: Sendable {
    /// The folder of this set of models.
    public let folder: String
    /// The settings that name it, as written to `settings.txt`.
    public let settings: [(key: String, value: String)]

    /// The cache for models made with `settings` under `root`: `root/<name>-<first 12 hex of the settings' SHA-256>`.
    public init(root: String, name: String, settings: [(key: String, value: String)]) throws {
        self.settings = settings
        let text = settings.map { "\($0.key)=\($0.value)\n" }.joined()
        let digest = String(SHA256Digest.hex(Array(text.utf8)).prefix(12))
        folder = (root as NSString).appendingPathComponent("\(name)-\(digest)")
        do {
            try FileSystem.makeFolders(folder)
            let file = (folder as NSString).appendingPathComponent("settings.txt")
            if FileSystem.kind(file) == .none { try FileSystem.writeAtomically(Array(text.utf8), to: file) }
        } catch let e as FileSystemError {
            throw RunError("cannot use the model cache \(folder): \(e.reason). Choose another folder with --model-cache.")
        }
    }

    /// The folder of model `index`.
    public func path(_ index: Int) -> String {
        (folder as NSString).appendingPathComponent(String(format: "model-%04d", index))
    }

    /// Whether model `index` is complete in the cache.
    public func contains(_ index: Int) -> Bool {
        FileSystem.kind((path(index) as NSString).appendingPathComponent("layers.txt")) == .file
    }

    /// Model `index`, or nil when it is not in the cache; a damaged one is an error naming it.
    public func load(_ index: Int) throws -> Network? {
        guard contains(index) else { return nil }
        do {
            return try ModelIO.load(from: path(index))
        } catch let e as ModelIOError {
            throw RunError("the cached model \(path(index)) is damaged (\(e.description)); delete that folder to train it again")
        }
    }

    /// Stores model `index`: written into a partial folder, then renamed into place in one step.
    public func save(_ network: Network, index: Int) throws {
        let final = path(index)
        let partial = (folder as NSString).appendingPathComponent(FileSystem.partialName((final as NSString).lastPathComponent))
        FileSystem.remove(partial)
        do {
            for (name, bytes) in ModelIO.files(network) {
                try FileSystem.writeFile(bytes, to: (partial as NSString).appendingPathComponent(name))
            }
            if FileSystem.kind(final) != .none { FileSystem.remove(partial) } else { try FileSystem.rename(partial, to: final) }
        } catch let e as FileSystemError {
            FileSystem.remove(partial)
            throw RunError("cannot store a trained model in \(folder): \(e.reason)")
        }
    }

    /// Removes partial model folders that dead processes left.
    public func sweep() {
        FileSystem.sweepPartials(in: folder)
    }
}
