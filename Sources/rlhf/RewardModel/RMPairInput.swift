import AlignmentData
import ArgumentParser
import Foundation
import PreferenceData

/// Where a reward-model command reads pairs: a split of a preference store, or a JSON Lines file.
enum RMPairInput {
    /// The source named by a store (+ split) or a file; exactly one of `store` and `file` must be given.
    static func source(store: String?, split: String?, file: String?, fileFlag: String) throws -> PreferencePairSource {
        switch (store, file) {
        case let (store?, nil): return .store(path: store, split: split)
        case let (nil, file?):
            if split != nil { throw ValidationError("--split reads a store: give --store, or drop --split with \(fileFlag)") }
            return .jsonLines(path: file)
        case (nil, nil): throw ValidationError("give --store STORE [--split NAME] or \(fileFlag) FILE.jsonl")
        case (_?, _?): throw ValidationError("give --store or \(fileFlag), not both")
        }
    }
}

/// Runs `body`, turning any library error into a one-line command failure.
func oneLineErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as CommandFailure { throw error } catch let error as ValidationError {
        throw error
    } catch {
        throw CommandFailure("\(error)")
    }
}

/// `a,b,c` as whole numbers.
func commaSeparatedIntegers(_ text: String, option: String) throws -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let numbers = parts.compactMap { Int($0) }
    guard numbers.count == parts.count else { throw ValidationError("\(option) must be comma-separated whole numbers, got \"\(text)\"") }
    return numbers
}
