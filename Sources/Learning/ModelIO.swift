import Foundation
import MLCore

/// A saved model could not be read or written; the message names the file.
public struct ModelIOError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and where.
    public let description: String
}

/// Saves and loads networks as a folder of NumPy `.npy` files plus a one-line-per-layer `layers.txt`.
///
/// Format: `layers.txt` lists the layers in order, one per line: `dense IN OUT`, `sigmoid`, `relu` or `tanh`.
/// Dense layer `i` (0-based position in that list) has `layerI.weight.npy`, float32 of shape
/// `(OUT, IN)` so that `y = x @ W.T + b`, and `layerI.bias.npy`, float32 of shape `(OUT,)`.
/// In Python: `W = numpy.load("layer0.weight.npy")`.
public enum ModelIO {
    /// The files of a saved model: `layers.txt` and one `.npy` per tensor, as (name, bytes).
    public static func files(_ network: Network) -> [(name: String, bytes: [UInt8])] {
        var lines: [String] = []
        var files: [(name: String, bytes: [UInt8])] = []
        for (i, layer) in network.layers.enumerated() {
            switch layer {
            case .dense(let d):
                lines.append("dense \(d.inputs) \(d.outputs)")
                files.append(("layer\(i).weight.npy", NPY.encode(d.weight)))
                files.append(("layer\(i).bias.npy", NPY.encode(d.bias, shape: [d.bias.count])))
            case .sigmoid: lines.append("sigmoid")
            case .relu: lines.append("relu")
            case .tanh: lines.append("tanh")
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
        var layers: [Layer] = []
        for (i, line) in text.split(separator: "\n").enumerated() {
            let parts = line.split(separator: " ")
            switch parts.first {
            case "dense":
                guard parts.count == 3, let inputs = Int(parts[1]), let outputs = Int(parts[2]) else {
                    throw ModelIOError(description: "\(folder)/layers.txt line \(i + 1): expected 'dense IN OUT', got '\(line)'")
                }
                let w = try decode(read("layer\(i).weight.npy"), "layer\(i).weight.npy", folder, [outputs, inputs])
                let b = try decode(read("layer\(i).bias.npy"), "layer\(i).bias.npy", folder, [outputs])
                layers.append(.dense(Dense(weight: Matrix(rows: outputs, cols: inputs, data: w), bias: b)))
            case "sigmoid": layers.append(.sigmoid)
            case "relu": layers.append(.relu)
            case "tanh": layers.append(.tanh)
            default:
                throw ModelIOError(description: "\(folder)/layers.txt line \(i + 1): unknown layer '\(line)'")
            }
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
