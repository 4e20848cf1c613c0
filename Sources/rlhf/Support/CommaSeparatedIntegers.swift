import Alignment
import ArgumentParser

/// `a,b,c` as whole numbers (bucket edges), spelled as the settings of a config spell them.
func commaSeparatedIntegers(_ text: String, option: String) throws -> [Int] {
    guard let numbers = [Int](commandLineWord: text) else {
        throw ValidationError("\(option) must be comma-separated whole numbers, got \"\(text)\"")
    }
    return numbers
}
