import Foundation

/// Optimizer snapshots on disk: one safetensors file holding the buffers, with the scalar part as JSON in its
/// `__metadata__` under the key `optimizer`. Written atomically (temporary file, then rename).
extension OptimizerState {
    static let metadataKey = "optimizer"

    /// Writes the snapshot to `url`.
    public func save(to url: URL) throws {
        let json = try JSONEncoder().encode(metadata)
        try Safetensors.write(tensors, metadata: [Self.metadataKey: String(decoding: json, as: UTF8.self)], to: url)
    }

    /// Reads a snapshot written by `save(to:)`.
    public static func load(from url: URL) throws -> OptimizerState {
        let file = try SafetensorsFile(url: url)
        guard let text = file.metadata[metadataKey] else {
            throw SafetensorsError.badHeader(
                path: url.path, detail: "no \"\(metadataKey)\" entry in __metadata__: not an optimizer state file")
        }
        let metadata: Metadata
        do {
            metadata = try JSONDecoder().decode(Metadata.self, from: Data(text.utf8))
        } catch {
            throw SafetensorsError.badHeader(path: url.path, detail: "optimizer metadata is not valid: \(error)")
        }
        var tensors: [String: Tensor] = [:]
        for name in file.names { tensors[name] = try file.tensor(name) }
        return OptimizerState(metadata: metadata, tensors: tensors)
    }
}
