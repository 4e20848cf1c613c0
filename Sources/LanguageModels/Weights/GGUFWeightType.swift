import GGUF

/// How an exported GGUF stores the model's matrices. Vectors (norms, biases) stay F32 in both, as llama.cpp's
/// converter keeps them.
public enum GGUFWeightType: String, Sendable, CaseIterable {
    /// Half precision: every matrix rounded to the nearest f16.
    case f16
    /// ggml's Q8_0: blocks of 32 values as one f16 scale and 32 signed bytes (about 8.5 bits a weight). A matrix whose
    /// rows are not a multiple of 32 long falls back to F16, as in llama.cpp.
    case q8_0

    /// llama.cpp's `general.file_type` (`LLAMA_FTYPE_MOSTLY_F16`, `LLAMA_FTYPE_MOSTLY_Q8_0`).
    var fileType: UInt32 {
        switch self {
        case .f16: 1
        case .q8_0: 7
        }
    }

    /// The tensor type of a weight of `shape` (row-major): F32 for vectors (norms, biases), else this type when its
    /// rows fit its blocks, else F16.
    func tensorType(shape: [Int]) -> GGUFTensorType {
        if shape.count <= 1 { return .f32 }
        switch self {
        case .f16: return .f16
        case .q8_0: return shape[shape.count - 1] % 32 == 0 ? .q8_0 : .f16
        }
    }
}
