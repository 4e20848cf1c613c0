import Foundation

extension QuickstartReport {
    /// How a policy's evaluation answers were drawn: the temperature, and how many samples the reward model chose
    /// among. Every row of the report states it, since a greedy or best-of-n row is not comparable to a single
    /// sample without it.
    public struct Sampling: Codable, Sendable, Equatable {
        /// Softmax temperature of every sample; 0 is greedy decoding.
        public var temperature: Double
        /// Answers sampled per prompt: 1, or n when the reward model picks the best of n.
        public var candidates: Int

        /// Creates a description of the sampling.
        public init(temperature: Double, candidates: Int = 1) {
            self.temperature = temperature
            self.candidates = candidates
        }

        /// "greedy (temperature 0)", "one sample at temperature 1" or "best of 4 at temperature 1 by the reward model".
        public var text: String {
            let t = String(format: "%g", temperature)
            if temperature == 0 {
                return candidates > 1 ? "greedy, best of \(candidates) by the reward model" : "greedy (temperature 0)"
            }
            return candidates > 1
                ? "best of \(candidates) at temperature \(t) by the reward model" : "one sample at temperature \(t)"
        }
    }
}
