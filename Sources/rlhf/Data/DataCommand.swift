import ArgumentParser

/// `rlhf data …`: the preference store and the paper's data pipeline (import → filter → balance → split → export).
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Preference data: import, export, stats, filter, balance, split.",
        discussion: """
            The store is one SQLite file (--store, default preferences.sqlite). A typical run:
              rlhf data import --store s.sqlite hh-train.jsonl
              rlhf data filter --store s.sqlite                      # prompt quality + post-filtering → split "filtered"
              rlhf data balance --store s.sqlite                     # length balancing → split "balanced"
              rlhf data split --store s.sqlite --test-fraction 0.1   # → "balanced/train", "balanced/test"
              rlhf data export --store s.sqlite --split balanced/train --format pairs --output train.jsonl
            """,
        subcommands: [
            DataImportCommand.self, DataExportCommand.self, DataStatsCommand.self, DataFilterCommand.self,
            DataBalanceCommand.self, DataSplitCommand.self,
        ]
    )
}
