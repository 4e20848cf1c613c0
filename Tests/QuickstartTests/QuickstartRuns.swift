import Foundation
import RLHFTestSupport
import Testing

/// What the end-to-end quickstart tests share: interrupting a run and comparing reports.
enum QuickstartRuns {
    /// Starts `rlhf` with `arguments` and kills it with SIGKILL (nothing gets to clean up; SIGINT may be ignored by a
    /// child of the test runner) once `metrics` holds `lines` lines. Returns whether it was still running then.
    static func interrupt(_ arguments: [String], binary: String, once metrics: URL, holds lines: Int) throws -> Bool {
        let running = try RLHFProcess(arguments, executable: binary)
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline, running.process.isRunning {
            if let data = FileManager.default.contents(atPath: metrics.path),
                data.filter({ $0 == UInt8(ascii: "\n") }).count >= lines
            {
                break
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        let wasRunning = running.process.isRunning
        kill(running.process.processIdentifier, SIGKILL)
        #expect(running.wait().status != 0)
        return wasRunning
    }

    /// Whether two `report.json` objects hold the same numbers: everything but the run's id and timings.
    static func sameNumbers(_ a: [String: Any], _ b: [String: Any]) -> Bool {
        func comparable(_ report: [String: Any]) -> NSDictionary {
            var report = report
            report["run"] = nil
            var annotation = report["annotation"] as? [String: Any]
            annotation?["labels_per_second"] = nil
            report["annotation"] = annotation
            return NSDictionary(dictionary: report)
        }
        return comparable(a).isEqual(to: comparable(b) as! [AnyHashable: Any])
    }
}
