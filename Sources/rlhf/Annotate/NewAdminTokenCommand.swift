import AnnotationServer
import ArgumentParser

/// `rlhf annotate new-admin-token`: prints a fresh random admin token.
struct NewAdminTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-admin-token",
        abstract: "Print a fresh random admin token (256 bits) for RLHF_ADMIN_TOKEN.",
        discussion:
            "export RLHF_ADMIN_TOKEN=$(rlhf annotate new-admin-token) before `rlhf annotate serve`. Keep it secret.")

    func run() {
        print(AccessToken.generate(prefix: AccessToken.adminPrefix))
    }
}
