import TensorEngine
import Testing

@testable import Alignment

/// k1/k2/k3 against rl.json "kl_estimators" (1e-5 relative + 1e-6 absolute) and their gradients.
@Suite struct KLEstimatorTests {
    @Test func matchesTheReference() throws {
        let f = try RLFixtures.load().klEstimators
        let logp = Tensor(f.logp), reference = Tensor(f.logpRef)
        expectClose(KLEstimator.k1.estimate(logProbs: logp, referenceLogProbs: reference), f.k1, "k1")
        expectClose(KLEstimator.k2.estimate(logProbs: logp, referenceLogProbs: reference), f.k2, "k2")
        expectClose(KLEstimator.k3.estimate(logProbs: logp, referenceLogProbs: reference), f.k3, "k3")
    }

    @Test(arguments: KLEstimator.allCases)
    func gradientMatchesFiniteDifferences(estimator: KLEstimator) throws {
        let f = try RLFixtures.load().klEstimators
        let weights = randomTensor([f.logp.count], seed: 5)
        expectGradientsMatchFiniteDifferences([Tensor(f.logp), Tensor(f.logpRef)]) {
            (estimator.estimate(logProbs: $0[0], referenceLogProbs: $0[1]) * weights).sum()
        }
    }

    @Test func k2AndK3AreZeroOnlyWhereThePoliciesAgree() {
        let logp = Tensor([-1, -2, -0.5]), same = Tensor([-1, -2, -0.5]), other = Tensor([-1.5, -1, -3])
        for estimator in [KLEstimator.k2, .k3] {
            #expect(estimator.estimate(logProbs: logp, referenceLogProbs: same).scalars == [0, 0, 0])
            #expect(estimator.estimate(logProbs: logp, referenceLogProbs: other).scalars.allSatisfy { $0 > 0 })
        }
    }
}
