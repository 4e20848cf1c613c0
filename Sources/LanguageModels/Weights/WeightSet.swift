import Foundation
import TensorEngine

/// Named weight tensors with the checks a loader needs: required names, expected shapes, and errors naming the
/// checkpoint file.
public struct WeightSet {
    /// Tensors by their Hugging Face names.
    public var tensors: [String: Tensor]
    /// Where they came from, for error messages.
    public let source: String

    /// Wraps already loaded tensors.
    public init(_ tensors: [String: Tensor], source: String) {
        self.tensors = tensors
        self.source = source
    }

    /// The tensor `name`, which must have `shape`.
    func require(_ name: String, _ shape: [Int]) throws -> Tensor {
        guard let t = tensors[name] else { throw ModelLoadingError(source, "missing tensor \"\(name)\"") }
        if t.shape != shape {
            throw ModelLoadingError(source, "tensor \"\(name)\" has shape \(t.shape), expected \(shape)")
        }
        return t
    }

    /// The tensor `name` if present (then it must have `shape`).
    func optional(_ name: String, _ shape: [Int]) throws -> Tensor? {
        tensors[name] == nil ? nil : try require(name, shape)
    }

    /// Reads a model directory's weights: `model.safetensors`, or the shards listed by `model.safetensors.index.json`.
    /// F16 and BF16 are converted to Float32.
    public static func load(directory: URL) throws -> WeightSet {
        let single = directory.appendingPathComponent("model.safetensors")
        let index = directory.appendingPathComponent("model.safetensors.index.json")
        var files: [URL] = []
        if FileManager.default.fileExists(atPath: single.path) {
            files = [single]
        } else if FileManager.default.fileExists(atPath: index.path) {
            guard let data = try? Data(contentsOf: index),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let map = json["weight_map"] as? [String: String]
            else {
                throw ModelLoadingError(index.path, "not a safetensors index (no \"weight_map\" object)")
            }
            files = Set(map.values).sorted().map { directory.appendingPathComponent($0) }
        } else {
            throw ModelLoadingError(directory.path, "no model.safetensors or model.safetensors.index.json")
        }
        var tensors: [String: Tensor] = [:]
        for url in files {
            // The reader's errors name the file; rethrown as this module's error so callers see one kind.
            do {
                let file = try SafetensorsFile(url: url)
                for name in file.names where ["F32", "F16", "BF16", "F64"].contains(file.dtype(of: name) ?? "") {
                    if tensors[name] != nil {
                        throw ModelLoadingError(url.path, "tensor \"\(name)\" appears in two shards")
                    }
                    tensors[name] = try file.tensor(name)
                }
            } catch let error as SafetensorsError {
                throw ModelLoadingError(error.path, error.problem)
            }
        }
        return WeightSet(tensors, source: files.count == 1 ? files[0].path : directory.path)
    }
}
