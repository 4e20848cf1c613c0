import Alignment
import ArgumentParser
import Foundation
import Yams

/// A training command's settings: a YAML or JSON file (`--config`), then command-line overrides of any of its keys
/// (`--max-length 256`). Both come from the config's key list, which the command's help prints with the defaults.
struct ConfigOptions<Config: KeyedConfig>: ParsableArguments {
    @Option(help: "A YAML or JSON file of settings (any of the keys listed in the overview).")
    var config: String?

    // Every setting is an option, so they are read from the config's key list rather than declared one by one here.
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp(
            "Overrides of the settings listed in the overview.",
            valueName: "--option value"))
    var overrides: [String] = []

    /// Rejects an unknown override or a value its setting cannot take while the command line is parsed, so the
    /// error comes with the command's own usage.
    func validate() throws {
        var settings = Config()
        do { try settings.override(with: overrides) } catch {
            throw ValidationError(error.description)
        }
    }

    /// The file's settings over the defaults and the overrides over both; an invalid setting is a one-line failure.
    func load() throws -> Config {
        var settings = try config.map { try Self.file(at: $0) } ?? Config()
        try settings.override(with: overrides)
        if let problem = settings.problem { throw CommandFailure("invalid settings: \(problem)") }
        return settings
    }

    /// The paragraph of a command's help that lists the settings.
    static var help: String {
        "\nSettings (config-file key, command-line option: meaning, default):\n" + Config.settingsHelp
    }

    /// Reads a config file (YAML is a superset of JSON), naming the file in errors.
    static func file(at path: String) throws -> Config {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CommandFailure("\(path): cannot read: \(error.localizedDescription)")
        }
        do {
            return try YAMLDecoder().decode(Config.self, from: text)
        } catch let DecodingError.dataCorrupted(context) {
            throw CommandFailure("\(path): \(context.debugDescription)")
        } catch let DecodingError.typeMismatch(_, context) {
            throw CommandFailure(
                "\(path): \(context.codingPath.map(\.stringValue).joined(separator: ".")): wrong type (\(context.debugDescription))"
            )
        } catch {
            throw CommandFailure(error, about: path)
        }
    }
}
