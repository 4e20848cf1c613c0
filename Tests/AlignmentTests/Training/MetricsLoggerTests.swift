import Foundation
import Testing

@testable import Alignment

/// The metrics file of a resumed run holds each step once: the lines past the checkpoint are dropped first.
struct MetricsLoggerTests {
    func file(_ steps: ClosedRange<Int>) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).jsonl")
        try steps.map { #"{"loss":0.5,"step":\#($0)}"# + "\n" }.joined().write(
            to: url, atomically: true, encoding: .utf8)
        return url
    }

    func steps(_ url: URL) throws -> [Int] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["step"] as! Int
        }
    }

    @Test func resumingDropsTheLinesPastTheCheckpoint() throws {
        let url = try file(1...5)
        defer { try? FileManager.default.removeItem(at: url) }
        let logger = try MetricsLogger(url: url, resumingAfter: ("step", 3))
        #expect(try steps(url) == [1, 2, 3])
        logger.log(["step": 4, "loss": 0.25])
        #expect(try steps(url) == [1, 2, 3, 4])
    }

    @Test func aFreshStartKeepsNoOldLinesAndAPlainOpenKeepsAll() throws {
        let url = try file(1...2)
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try MetricsLogger(url: url)
        #expect(try steps(url) == [1, 2])
        _ = try MetricsLogger(url: url, resumingAfter: ("step", 0))
        #expect(try steps(url).isEmpty)
    }
}
