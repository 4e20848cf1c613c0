/// A one-line command failure: ArgumentParser prints it as `Error: <description>` and exits with status 1.
struct TokenizeCommandError: Error, CustomStringConvertible {
    let description: String
}
