import Foundation
import Testing

@testable import Quickstart

@Suite struct RunDirectoryTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-run-\(UUID().uuidString)")
    }

    @Test func reopeningWithTheSameSettingsKeepsTheRunAndItsFinishedStages() throws {
        let url = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: url) }
        let first = try RunDirectory(url: url, settings: .fast, restart: false)
        try first.markFinished(.sft, seconds: 12)
        let again = try RunDirectory(url: url, settings: .fast, restart: false)
        #expect(again.runID == first.runID)
        #expect(again.isFinished(.sft))
        #expect(!again.isFinished(.mainPPO))
        #expect(again.stageSeconds == ["sft": 12])
    }

    @Test func otherSettingsAreRefusedUntilRestart() throws {
        let url = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: url) }
        let first = try RunDirectory(url: url, settings: .fast, restart: false)
        try first.markFinished(.sft, seconds: 1)
        try first.writeResult(["x": 1], stage: .sft)
        #expect(throws: QuickstartError.self) { try RunDirectory(url: url, settings: .standard, restart: false) }
        let restarted = try RunDirectory(url: url, settings: .standard, restart: true)
        #expect(restarted.runID != first.runID)
        #expect(!restarted.isFinished(.sft))
        #expect(!FileManager.default.fileExists(atPath: restarted.folder(.sft).path))
    }

    @Test func aDirectoryThatIsNotARunIsNeverUsedOrDeleted() throws {
        let url = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: url) }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let precious = url.appendingPathComponent("notes.txt")
        try Data("keep me".utf8).write(to: precious)
        #expect(throws: QuickstartError.self) { try RunDirectory(url: url, settings: .fast, restart: false) }
        #expect(throws: QuickstartError.self) { try RunDirectory(url: url, settings: .fast, restart: true) }
        #expect(FileManager.default.fileExists(atPath: precious.path))
    }

    @Test func aCorruptManifestIsAOneLineError() throws {
        let url = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: url) }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: url.appendingPathComponent("run.json"))
        do {
            _ = try RunDirectory(url: url, settings: .fast, restart: false)
            Issue.record("a corrupt run.json was accepted")
        } catch let error as QuickstartError {
            #expect(error.description.contains("run.json"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func stageResultsRoundTrip() throws {
        let url = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try RunDirectory(url: url, settings: .fast, restart: false)
        try run.writeResult(["loss": [1.5, .nan]], stage: .mainPPO)
        let back = try run.readResult([String: [Double]].self, stage: .mainPPO)
        #expect(back["loss"]?.first == 1.5)
        #expect(back["loss"]?.last?.isNaN == true)
        #expect(throws: QuickstartError.self) { try run.readResult([String: Double].self, stage: .dpo) }
    }
}
