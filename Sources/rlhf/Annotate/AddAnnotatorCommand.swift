import AnnotationServer
import ArgumentParser
import PreferenceData

/// `rlhf annotate add-annotator`: adds a person and prints their token, once.
struct AddAnnotatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-annotator",
        abstract: "Add an annotator and print their sign-in token (shown once; the store keeps only its hash).",
        discussion:
            "Standard output is the token alone, for scripts: TOKEN=$(rlhf annotate add-annotator --db s.sqlite --name alice)."
    )

    @OptionGroup var store: AnnotateStore

    @Option(help: "The annotator's unique name (a login).")
    var name: String

    @Flag(help: "If the annotator exists, give them a new token (the old one stops working, their sign-ins end).")
    var replaceToken = false

    func validate() throws {
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--name is empty") }
    }

    func run() throws {
        let preferences = try store.open()
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if let existing = try preferences.annotator(named: name) {
            guard existing.kind == .human else {
                throw CommandFailure(
                    "\"\(name)\" is a \(existing.kind.rawValue) annotator in \(store.db), not a person")
            }
            guard replaceToken else {
                throw CommandFailure(
                    "annotator \"\(name)\" already exists in \(store.db); --replace-token gives them a new token")
            }
        }
        let token = AccessToken.generate()
        do {
            try preferences.addAnnotator(name: name, kind: .human, tokenHash: AccessToken.hash(token))
        } catch let error as PreferenceDataError {
            throw CommandFailure(error.description)
        }
        printError(
            "annotator \"\(name)\" \(replaceToken ? "has a new token" : "added"); the token is shown once, keep it:")
        print(token)
    }
}
