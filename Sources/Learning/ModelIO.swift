import Foundation
import MLCore

/// A saved model could not be read or written; the message names the file.
public struct ModelIOError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and where.
    public let description: String

    /// An error with this message.
    public init(description: String) {
        self.description = description
    }
}

/// A layer kind that a saved model can hold: it reads itself back from its `layers.txt` line and its tensors.
public protocol SavedLayer: Layer {
    /// The layer a `layers.txt` line describes (nil when the line is another kind's), reading each tensor with
    /// `tensor(name, shape)`.
    static func decode(_ words: [Substring], tensor: (String, [Int]) throws -> [Float]) throws -> Self?
}

extension Dense: SavedLayer {
    /// `dense IN OUT`, with `weight` `(OUT, IN)` and `bias` `(OUT,)`.
    public static func decode(_ words: [Substring], tensor: (String, [Int]) throws -> [Float]) throws -> Dense? {
        guard words.first == "dense" else { return nil }
        guard words.count == 3, let inputs = Int(words[1]), let outputs = Int(words[2]), inputs > 0, outputs > 0 else {
            throw ModelIOError(description: "expected 'dense IN OUT', got '\(words.joined(separator: " "))'")
        }
        let w = try tensor("weight", [outputs, inputs])
        return Dense(weight: Matrix(rows: outputs, cols: inputs, data: w), bias: try tensor("bias", [outputs]))
    }
}

extension Activation: SavedLayer {
    /// `sigmoid`, `relu` or `tanh`.
    public static func decode(_ words: [Substring], tensor: (String, [Int]) throws -> [Float]) throws -> Activation? {
        guard words.count == 1 else { return nil }
        return Activation(rawValue: String(words[0]))
    }
}

/// Saves and loads networks (classifiers, decoders, autoencoders alike) as a folder of NumPy `.npy` files plus a
/// one-line-per-layer `layers.txt`.
///
/// Format: `layers.txt` lists the layers in order, one per line, as each layer's `descriptor` says (`dense IN OUT`,
/// `sigmoid`, `relu`, `tanh`). Tensor `NAME` of layer `i` (0-based position in that list) is `layerI.NAME.npy`,
/// float32: a dense layer has `weight` of shape `(OUT, IN)`, so that `y = x @ W.T + b`, and `bias` of shape `(OUT,)`.
/// In Python: `W = numpy.load("layer0.weight.npy")`.
public enum ModelIO {
    /// The layer kinds a saved model may hold; a new kind is added here.
    public static let kinds: [any SavedLayer.Type] = [Dense.self, Activation.self]

    /// The files of a saved model: `layers.txt` and one `.npy` per tensor, as (name, bytes).
    public static func files(_ network: Network) -> [(name: String, bytes: [UInt8])] {
        var lines: [String] = []
        var files: [(name: String, bytes: [UInt8])] = []
        for (i, layer) in network.layers.enumerated() {
            lines.append(layer.descriptor)
            for (t, shape) in layer.parameterShapes.enumerated() {
                files.append(("layer\(i).\(shape.name).npy", NPY.encode(layer.parameter(t), shape: shape.shape)))
            }
        }
        files.append(("layers.txt", Array((lines.joined(separator: "\n") + "\n").utf8)))
        return files
    }

    /// Writes `network` into `folder` (created if needed); each file is written aside and renamed.
    public static func save(_ network: Network, to folder: String) throws {
        do {
            for (name, bytes) in files(network) {
                try FileSystem.writeAtomically(bytes, to: (folder as NSString).appendingPathComponent(name))
            }
        } catch let e as FileSystemError {
            throw ModelIOError(description: "cannot save the model to \(folder): \(e.description)")
        }
    }

    /// Reads a network saved by `save`.
    public static func load(from folder: String) throws -> Network {
        func read(_ name: String) throws -> [UInt8] {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let d = FileManager.default.contents(atPath: path) else {
                throw ModelIOError(description: "\(path) is missing: the folder does not hold a saved model")
            }
            return [UInt8](d)
        }
        let text = String(decoding: try read("layers.txt"), as: UTF8.self)
        var layers: [any Layer] = []
        for (i, line) in text.split(separator: "\n").enumerated() {
            let words = line.split(separator: " ")
            func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
                let file = "layer\(i).\(name).npy"
                return try decode(read(file), file, folder, shape)
            }
            var found: (any Layer)?
            do {
                for kind in kinds where found == nil { found = try kind.decode(words, tensor: tensor) }
            } catch let e as ModelIOError where !e.description.hasPrefix(folder) {
                throw ModelIOError(description: "\(folder)/layers.txt line \(i + 1): \(e.description)")
            }
            guard let layer = found else {
                throw ModelIOError(description: "\(folder)/layers.txt line \(i + 1): unknown layer '\(line)'")
            }
            layers.append(layer)
        }
        return Network(layers: layers)
    }

    private static func decode(_ bytes: [UInt8], _ name: String, _ folder: String, _ shape: [Int]) throws -> [Float] {
        do {
            let (values, s) = try NPY.decode(bytes)
            guard s == shape else {
                throw ModelIOError(description: "\(folder)/\(name) has shape \(s), layers.txt says \(shape)")
            }
            return values
        } catch let e as NPYError {
            throw ModelIOError(description: "\(folder)/\(name): \(e.description)")
        }
    }
}
