import TensorEngine

/// The operations of arithmetic prompts, with their spellings in both languages.
enum ArithmeticOperation: Int, Sendable, CaseIterable {
    case add, subtract, multiply

    var symbol: String {
        switch self {
        case .add: "+"
        case .subtract: "-"
        case .multiply: "*"
        }
    }

    var word: Bilingual {
        switch self {
        case .add: .init("plus", "加")
        case .subtract: .init("minus", "减")
        case .multiply: .init("times", "乘以")
        }
    }

    /// Operands small enough for a tiny model: sums up to 120, products up to 144, and no negative differences
    /// (so every answer is one run of digits).
    func operands(_ rng: inout RandomGenerator) -> (Int, Int) {
        switch self {
        case .add: return (rng.integer(in: 2...60), rng.integer(in: 2...60))
        case .subtract:
            let a = rng.integer(in: 5...90)
            return (a, rng.integer(in: 1...a))
        case .multiply: return (rng.integer(in: 2...12), rng.integer(in: 2...12))
        }
    }

    func apply(_ a: Int, _ b: Int) -> Int {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        }
    }
}
