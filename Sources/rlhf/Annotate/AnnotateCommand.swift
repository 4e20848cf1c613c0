import ArgumentParser

/// `rlhf annotate …`: the annotation server and its administration.
struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Run the annotation server where people give pairwise judgements, and administer it.",
        discussion: """
            A typical session (the API is described in docs/annotation-api.yaml):
              export RLHF_ADMIN_TOKEN=$(rlhf annotate new-admin-token)
              rlhf data import --store s.sqlite responses.jsonl
              rlhf annotate create-tasks --db s.sqlite --labels-per-task 3
              rlhf annotate add-annotator --db s.sqlite --name alice
              rlhf annotate add-gold --db s.sqlite --task 7 --answer a
              rlhf annotate serve --db s.sqlite --port 8080   # admin dashboard: http://127.0.0.1:8080/admin
              rlhf annotate export --db s.sqlite --output labels.jsonl
            """,
        subcommands: [
            AnnotateServeCommand.self, AddAnnotatorCommand.self, CreateTasksCommand.self, AnnotateExportCommand.self,
            AnnotateProgressCommand.self, NewAdminTokenCommand.self, AddGoldCommand.self,
        ]
    )
}
