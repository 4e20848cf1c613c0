import AtomicFiles
import Foundation

/// The `--out` directory of a quickstart run and its manifest (`run.json`): the settings, a run id, and the stages
/// finished so far. A run in the same directory with the same settings continues after the last finished stage
/// (training stages resume from their checkpoints); different settings are refused unless `restart` wipes the
/// directory, so outputs of two runs never mix. Every file is written under a temporary name and renamed.
public final class RunDirectory {
    /// What `run.json` holds.
    struct Manifest: Codable, Equatable {
        var format = 1
        var runID: String
        var settings: QuickstartSettings
        /// Finished stages and the seconds each took.
        var finished: [String: Double]
        /// The most memory each finished stage held resident at once, in bytes (absent in runs made before it was
        /// measured, and where the kernel cannot reset the process's peak).
        var peakResidentBytes: [String: Double]? = nil
    }

    /// The directory.
    public let url: URL
    private(set) var manifest: Manifest

    /// The run's id, stamped on the report.
    public var runID: String { manifest.runID }

    /// Opens (or creates) the run directory for `settings`. Throws when it holds a run with other settings (unless
    /// `restart`), or files that are not a quickstart run's.
    public init(url: URL, settings: QuickstartSettings, restart: Bool) throws {
        self.url = url
        let manager = FileManager.default
        let manifestURL = url.appendingPathComponent("run.json")
        if restart && manager.fileExists(atPath: url.path) {
            let isEmpty = try manager.contentsOfDirectory(atPath: url.path).isEmpty
            guard manager.fileExists(atPath: manifestURL.path) || isEmpty else {
                throw QuickstartError(
                    "\(url.path): not a quickstart run directory (no run.json); refusing to delete it, choose another --out"
                )
            }
            try manager.removeItem(at: url)
        }
        if manager.fileExists(atPath: manifestURL.path) {
            let data = try Data(contentsOf: manifestURL)
            let existing: Manifest
            do { existing = try JSONDecoder().decode(Manifest.self, from: data) } catch {
                throw QuickstartError(
                    "\(manifestURL.path): unreadable run manifest (\(error)); pass --restart to start over")
            }
            guard existing.settings == settings else {
                throw QuickstartError(
                    "\(url.path) holds a \(existing.settings.mode.rawValue) run with other settings; pass --restart to discard it, or choose another --out"
                )
            }
            manifest = existing
        } else {
            if manager.fileExists(atPath: url.path), !(try manager.contentsOfDirectory(atPath: url.path)).isEmpty {
                throw QuickstartError(
                    "\(url.path): not empty and not a quickstart run directory (no run.json); choose another --out")
            }
            try manager.createDirectory(at: url, withIntermediateDirectories: true)
            manifest = Manifest(runID: Self.newRunID(), settings: settings, finished: [:])
            try save()
        }
    }

    /// A fresh id: time and randomness, e.g. `20261121-153012-a1b2c3`.
    static func newRunID() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date()) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    /// Whether `stage` finished in this run.
    func isFinished(_ stage: QuickstartStage) -> Bool { manifest.finished[stage.name] != nil }

    /// Seconds each finished stage took.
    public var stageSeconds: [String: Double] { manifest.finished }

    /// Peak resident bytes of each finished stage that measured it.
    public var stagePeakResidentBytes: [String: Double] { manifest.peakResidentBytes ?? [:] }

    /// The folder of `stage`'s outputs.
    func folder(_ stage: QuickstartStage) -> URL { url.appendingPathComponent(stage.name, isDirectory: true) }

    /// Records `stage` as finished; only then does a rerun skip it.
    func markFinished(_ stage: QuickstartStage, seconds: Double, peakResidentBytes: Double? = nil) throws {
        manifest.finished[stage.name] = seconds
        var peaks = manifest.peakResidentBytes ?? [:]
        peaks[stage.name] = peakResidentBytes
        manifest.peakResidentBytes = peaks.isEmpty ? nil : peaks
        try save()
    }

    /// Forgets that `stages` finished (their inputs changed), e.g. the report after an ablation ran.
    func markUnfinished(_ stages: [QuickstartStage]) throws {
        for stage in stages {
            manifest.finished[stage.name] = nil
            manifest.peakResidentBytes?[stage.name] = nil
        }
        try save()
    }

    private func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try Self.writeAtomically(encoder.encode(manifest), to: url.appendingPathComponent("run.json"))
    }

    /// Writes `data` to a temporary file beside `target` and renames it over `target`.
    static func writeAtomically(_ data: Data, to target: URL) throws {
        do { try AtomicFile.write(data, to: target) } catch {
            throw QuickstartError(error.description)
        }
    }

    /// Writes a stage result as JSON.
    func writeResult<T: Encodable>(_ value: T, stage: QuickstartStage, name: String = "result.json") throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try FileManager.default.createDirectory(at: folder(stage), withIntermediateDirectories: true)
        try Self.writeAtomically(encoder.encode(value), to: folder(stage).appendingPathComponent(name))
    }

    /// Reads a stage result written by `writeResult`.
    func readResult<T: Decodable>(_ type: T.Type, stage: QuickstartStage, name: String = "result.json") throws -> T {
        let file = folder(stage).appendingPathComponent(name)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try decoder.decode(T.self, from: Data(contentsOf: file)) } catch {
            throw QuickstartError("\(file.path): unreadable stage result (\(error)); pass --restart to start over")
        }
    }

    /// Empties `stage`'s folder before the stage (re)starts from scratch.
    func resetFolder(_ stage: QuickstartStage) throws {
        let folder = folder(stage)
        if FileManager.default.fileExists(atPath: folder.path) { try FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
}
