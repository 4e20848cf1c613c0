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
            sign-in link (POST /api/v1/admin/sign-in-links); the admin signs in with the admin token at \
            http://HOST:PORT/admin (progress, quality per person, gold tasks, people, guidelines, export). Prints `serving http://HOST:PORT` once it listens \
            (--port 0 picks a free port). Every label is committed to the store, synced to disk, before the server \
            answers. SIGINT or SIGTERM stops it after the requests in flight.

            The admin token must be what new-admin-token prints or at least 32 characters that are not a short pattern \
            repeated. A --host other than loopback needs --secure-cookies (a TLS proxy in front) or --insecure-http. \
            A client address that fails to authenticate --auth-failure-limit times within --auth-failure-window \
            seconds gets 429 with Retry-After until the window has passed. Requests that wait longer than \
            --busy-timeout (default 5 s here) for the store's write lock get 503 with Retry-After.
            """)

    @OptionGroup var store: AnnotateStore

    @Option(help: "The address to listen on (127.0.0.1: this machine only; put a TLS proxy in front to serve others).")
    var host = "127.0.0.1"

    @Flag(help: "Serve plain HTTP on a --host other than loopback (tokens and cookies cross the network readable).")
    var insecureHttp = false

    @Option(help: "The port (0: any free port).")
    var port = 8080

    @Option(
        help: ArgumentHelp(
            "Seconds a handed-out task is held for its annotator before it returns to the pool.", valueName: "seconds"))
    var leaseSeconds: Double = 600

    @Option(
        help: ArgumentHelp("Largest request body of annotator endpoints and forms (413 beyond).", valueName: "bytes"))
    var maxBodyBytes = 64 * 1024

    @Flag(help: "Mark cookies Secure (HTTPS only) with the __Host- prefix: use when a TLS proxy serves the pages.")
    var secureCookies = false

    @Flag(
        name: .customLong("trust-x-forwarded-for"),
        help: "Count failed authentications under the last X-Forwarded-For address (only behind a proxy that sets it).")
    var trustForwardedFor = false

    @Option(
        help: ArgumentHelp(
            "Failed authentications a client address may make within --auth-failure-window before 429.",
            valueName: "count"))
    var authFailureLimit = 30

    @Option(help: ArgumentHelp("The window of --auth-failure-limit.", valueName: "seconds"))
    var authFailureWindow: Double = 600

    @Option(help: ArgumentHelp("Close connections idle (or stalled mid-request) for this long.", valueName: "seconds"))
    var idleTimeout: Double = 30

    @Flag(help: "Show every annotator the stored response A first (default: an order drawn per task and annotator).")
    var noShuffle = false

    @Option(help: "Share (0…1) of new tasks that are gold tasks (rlhf annotate add-gold) while a person has some left.")
    var goldRate = 0.1

    @Flag(help: "Commit without syncing each label to disk (survives a crash of the server, not a power cut; faster).")
    var fastCommits = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() throws {
        let adminToken = ProcessInfo.processInfo.environment["RLHF_ADMIN_TOKEN"] ?? ""
        let configuration = AnnotationServerConfiguration(
            adminToken: adminToken, host: host, port: port, leaseDuration: leaseSeconds, maximumBodyBytes: maxBodyBytes,
            secureCookies: secureCookies, allowInsecureHTTP: insecureHttp, failedAuthenticationLimit: authFailureLimit,
            failedAuthenticationWindow: authFailureWindow, trustForwardedFor: trustForwardedFor,
            idleTimeout: idleTimeout,
            shuffleResponses: !noShuffle, goldRate: goldRate)
        if let problem = configuration.problem() { throw CommandFailure(problem) }
        // A request waits at most a few seconds for the write lock, then gets 503: better than a hung page.
        let preferences = try store.open(create: true, durableCommits: !fastCommits, defaultBusyTimeout: 5)
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
