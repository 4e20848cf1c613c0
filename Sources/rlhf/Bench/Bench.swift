import ArgumentParser
import Foundation
import TensorEngine

/// `rlhf bench …`: performance measurements (use a release build).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure engine performance (build with -c release).",
        subcommands: [
            AllBench.self, GemmBench.self, DecodeGemmBench.self, OpsBench.self, AttentionBench.self, TrainBench.self,
            GenerateBench.self,
            TokenizeBench.self, DataBench.self, RMBench.self, PPOBench.self, BFloat16Bench.self, CollectivesBench.self,
        ],
        defaultSubcommand: AllBench.self
    )
}

/// Options shared by every benchmark.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Print one JSON object per line instead of a table.")
    var json = false

    @Option(help: "Timed repetitions per measurement; the median is reported.")
    var repeats = 7

    func validate() throws {
        if repeats < 1 { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    /// Says on stderr, before the first measurement, what the numbers were measured on: CPU, vector unit, GEMM
    /// backend and threads (stderr, so `--json` output stays one object per line).
    func announceMachine() {
        printMachineLine()
    }
}

/// Timing helpers for the benchmarks.
enum Stopwatch {
    /// Seconds taken by `body`.
    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Median seconds per call over `repeats` measurements after one warm-up call. Each measurement runs `body`
    /// enough times to last at least `minimumSeconds`, so sub-millisecond ops are not lost in timer noise.
    static func median(repeats: Int, minimumSeconds: Double = 0.02, _ body: () -> Void) -> Double {
        let first = seconds(body)
        let calls = max(1, Int((minimumSeconds / max(first, 1e-9)).rounded(.up)))
        let times = (0..<repeats).map { _ in
            seconds { for _ in 0..<calls { body() } } / Double(calls)
        }.sorted()
        return times[times.count / 2]
    }
}

/// Prints a benchmark result as a JSON line or a readable line.
func report(json: Bool, _ fields: KeyValuePairs<String, Any>) {
    report(json: json, fields.map { ($0.key, $0.value) })
}

/// Prints a benchmark result whose fields are known only at run time, in order.
func report(json: Bool, _ fields: [(key: String, value: Any)]) {
    if json {
        let body = fields.map { key, value -> String in
            switch value {
            case let s as String: return "\"\(key)\":\"\(s)\""
            case let d as Double: return "\"\(key)\":\((d * 1000).rounded() / 1000)"
            default: return "\"\(key)\":\(value)"
            }
        }
        print("{" + body.joined(separator: ",") + "}")
    } else {
        print(
            fields.map { key, value -> String in
                if let d = value as? Double { return "\(key) \(String(format: "%.3f", d))" }
                return "\(key) \(value)"
            }.joined(separator: "  "))
    }
}
