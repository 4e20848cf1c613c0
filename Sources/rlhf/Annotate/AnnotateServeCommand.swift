import AnnotationServer
import ArgumentParser
import Foundation
import Logging

/// `rlhf annotate serve`: the annotation web app and API on one store.
struct AnnotateServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the annotation web app and JSON API on a preference store.",
        discussion: """
            Needs the admin token in RLHF_ADMIN_TOKEN (`rlhf annotate new-admin-token` prints one) and refuses to start \
            without it. Annotators sign in at http://HOST:PORT/ with their token (rlhf annotate add-annotator) or a \
            sign-in link (POST /api/v1/admin/sign-in-links). Prints `serving http://HOST:PORT` once it listens \
            (--port 0 picks a free port). Every label is committed to the store, synced to disk, before the server \
            answers. SIGINT or SIGTERM stops it after the requests in flight.
            """)

    @OptionGroup var store: AnnotateStore

    @Option(help: "The address to listen on (127.0.0.1: this machine only; put a TLS proxy in front to serve others).")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port).")
    var port = 8080

    @Option(help: ArgumentHelp("Seconds a handed-out task is held for its annotator before it returns to the pool.", valueName: "seconds"))
    var leaseSeconds: Double = 600

    @Option(help: ArgumentHelp("Largest request body of annotator endpoints and forms (413 beyond).", valueName: "bytes"))
    var maxBodyBytes = 64 * 1024

    @Flag(help: "Mark cookies Secure (HTTPS only): use when a TLS proxy serves the pages.")
    var secureCookies = false

    @Flag(help: "Show every annotator the stored response A first (default: an order drawn per task and annotator).")
    var noShuffle = false

    @Flag(help: "Commit without syncing each label to disk (survives a crash of the server, not a power cut; faster).")
    var fastCommits = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
    }

    func run() throws {
        let adminToken = ProcessInfo.processInfo.environment["RLHF_ADMIN_TOKEN"] ?? ""
        let configuration = AnnotationServerConfiguration(
            adminToken: adminToken, host: host, port: port, leaseDuration: leaseSeconds, maximumBodyBytes: maxBodyBytes,
            secureCookies: secureCookies, shuffleResponses: !noShuffle)
        if let problem = configuration.problem() { throw CommandFailure(problem) }
        let preferences = try store.open(create: true, durableCommits: !fastCommits)
        let server: AnnotationServer
        do { server = try AnnotationServer(store: preferences, configuration: configuration) } catch {
            throw CommandFailure("\(error)")
        }
        // Logs go to standard error; standard output carries only the address line that scripts wait for.
        var logger = Logger(label: "rlhf-annotate") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        try runBlocking { [logger] in
            try await server.run(logger: logger) { host, port in
                // Written straight to the descriptor: `print` buffers when standard output is a pipe.
                FileHandle.standardOutput.write(Data("serving http://\(host):\(port)\n".utf8))
            }
        }
    }
}
