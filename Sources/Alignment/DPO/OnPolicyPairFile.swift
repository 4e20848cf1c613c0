import AtomicFiles
import Foundation

extension OnPolicyPairs {
    /// What a run keeps of its sampled pairs: the prompts they answer, the pairs and the construction report.
    struct SavedPairs: Codable {
        var prompts: [[Int]]
        var pairs: [DPOPair]
        var report: Report
    }

    /// On-policy pairs kept in a run's output directory: with `resume`, the pairs an earlier run on the same
    /// prompts saved at `file` (`reused` is then true); otherwise the pairs `build` makes, saved there first
    /// (atomically). A resumed run so trains on exactly the pairs it started with, without sampling them again.
    public static func cached(
        at file: URL, prompts: [[Int]], resume: Bool,
        build: () throws -> (pairs: [DPOPair], report: Report)
    ) throws
        -> (pairs: [DPOPair], report: Report, reused: Bool)
    {
        if resume, FileManager.default.fileExists(atPath: file.path) {
            let saved: SavedPairs
            do { saved = try JSONDecoder().decode(SavedPairs.self, from: Data(contentsOf: file)) } catch {
                throw TrainingError.checkpoint(
                    path: file.path, problem: "unreadable sampled pairs: \(ErrorReason.of(error))")
            }
            if saved.prompts != prompts {
                throw TrainingError.checkpoint(
                    path: file.path,
                    problem:
                        "was sampled from other prompts; resume with the same data or pass --no-resume")
            }
            return (saved.pairs, saved.report, true)
        }
        let (pairs, report) = try build()
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(
                JSONEncoder().encode(SavedPairs(prompts: prompts, pairs: pairs, report: report)), to: file)
        } catch {
            throw TrainingError.checkpoint(
                path: file.path, problem: "cannot save the sampled pairs: \(ErrorReason.of(error))")
        }
        return (pairs, report, false)
    }
}
