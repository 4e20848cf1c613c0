import GRDB

/// The store's schema and its versioned migrations.
///
/// Versions are kept in SQLite's `user_version` and applied inside one IMMEDIATE transaction, so two processes that
/// open a new store at once cannot both run a migration (GRDB's `DatabaseMigrator` reads the applied list outside a
/// transaction, which races between processes). Migrations are append-only: never edit a released one; add the next.
enum StoreSchema {
    /// Marks the SQLite file as a swift-rlhf preference store (`PRAGMA application_id`, "RLHD").
    static let applicationID: Int32 = 0x524C_4844

    /// Migrations in order; the version after applying the n-th is n.
    static let migrations: [@Sendable (Database) throws -> Void] = [
        createVersion1, createVersion2, createVersion3, createVersion4,
    ]

    /// The schema version this build writes.
    static var currentVersion: Int { migrations.count }

    static let choiceCheck = "('a', 'b', 'tie', 'both_bad')"

    /// Version 1: prompts, responses, comparisons, annotators, judgements (one per annotator per comparison, or
    /// several numbered ones for a dataset), named splits of resolved pairs, and an import log.
    static func createVersion1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE annotator (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL CHECK (kind IN ('human', 'model', 'dataset')),
                    token_hash TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE prompt (
                    id INTEGER PRIMARY KEY,
                    content_hash INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    context TEXT,
                    category TEXT,
                    source TEXT,
                    quality_flags INTEGER NOT NULL DEFAULT 0,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX prompt_by_content_hash ON prompt(content_hash);
                CREATE TABLE response (
                    id INTEGER PRIMARY KEY,
                    prompt_id INTEGER NOT NULL REFERENCES prompt(id) ON DELETE CASCADE,
                    content_hash INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    model TEXT,
                    token_count INTEGER CHECK (token_count >= 0),
                    char_count INTEGER NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX response_by_prompt_and_hash ON response(prompt_id, content_hash);
                CREATE TABLE comparison (
                    id INTEGER PRIMARY KEY,
                    prompt_id INTEGER NOT NULL REFERENCES prompt(id) ON DELETE CASCADE,
                    response_a_id INTEGER NOT NULL REFERENCES response(id) ON DELETE CASCADE,
                    response_b_id INTEGER NOT NULL REFERENCES response(id) ON DELETE CASCADE,
                    created_at TEXT NOT NULL,
                    CHECK (response_a_id < response_b_id),
                    UNIQUE (response_a_id, response_b_id)
                );
                CREATE INDEX comparison_by_prompt ON comparison(prompt_id);
                CREATE INDEX comparison_by_response_b ON comparison(response_b_id);
                CREATE TABLE judgement (
                    id INTEGER PRIMARY KEY,
                    comparison_id INTEGER NOT NULL REFERENCES comparison(id) ON DELETE CASCADE,
                    annotator_id INTEGER NOT NULL REFERENCES annotator(id),
                    occurrence INTEGER NOT NULL DEFAULT 0 CHECK (occurrence >= 0),
                    overall TEXT NOT NULL CHECK (overall IN \(choiceCheck)),
                    helpfulness TEXT CHECK (helpfulness IN \(choiceCheck)),
                    safety TEXT CHECK (safety IN \(choiceCheck)),
                    fluency TEXT CHECK (fluency IN \(choiceCheck)),
                    score_a REAL,
                    score_b REAL,
                    comment TEXT,
                    judged_at TEXT,
                    UNIQUE (comparison_id, annotator_id, occurrence)
                );
                CREATE INDEX judgement_by_annotator ON judgement(annotator_id);
                CREATE TRIGGER judgement_once_per_person_or_model
                BEFORE INSERT ON judgement
                WHEN NEW.occurrence > 0 AND (SELECT kind FROM annotator WHERE id = NEW.annotator_id) <> 'dataset'
                BEGIN
                    SELECT RAISE(ABORT, 'a person or model judges a comparison at most once');
                END;
                CREATE TABLE split (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    recipe TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE split_pair (
                    split_id INTEGER NOT NULL REFERENCES split(id) ON DELETE CASCADE,
                    comparison_id INTEGER NOT NULL REFERENCES comparison(id) ON DELETE CASCADE,
                    outcome TEXT NOT NULL CHECK (outcome IN ('a', 'b', 'tie')),
                    PRIMARY KEY (split_id, comparison_id)
                ) WITHOUT ROWID;
                CREATE INDEX split_pair_by_comparison ON split_pair(comparison_id);
                CREATE TABLE import_log (
                    id INTEGER PRIMARY KEY,
                    file TEXT NOT NULL,
                    format TEXT NOT NULL,
                    source TEXT,
                    lines INTEGER NOT NULL,
                    records INTEGER NOT NULL,
                    skipped INTEGER NOT NULL,
                    judgements_added INTEGER NOT NULL,
                    imported_at TEXT NOT NULL
                );
                """)
    }

    /// Version 2: annotation tasks (a comparison to be labelled by `labels_wanted` people) and their leases (a task
    /// handed to an annotator and held for them until `expires_at`), and an index to find an annotator by token hash.
    ///
    /// `labels_done` counts the human judgements of the task's comparison. Triggers keep it, so a judgement added
    /// any way (the server, an import) counts, and the query for the next open task reads one column through the
    /// partial index of open tasks instead of counting judgements of every task.
    static func createVersion2(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE annotation_task (
                    id INTEGER PRIMARY KEY,
                    comparison_id INTEGER NOT NULL UNIQUE REFERENCES comparison(id) ON DELETE CASCADE,
                    labels_wanted INTEGER NOT NULL CHECK (labels_wanted >= 1),
                    labels_done INTEGER NOT NULL DEFAULT 0 CHECK (labels_done >= 0),
                    created_at TEXT NOT NULL
                );
                CREATE INDEX annotation_task_open ON annotation_task(id) WHERE labels_done < labels_wanted;
                CREATE TABLE task_lease (
                    task_id INTEGER NOT NULL REFERENCES annotation_task(id) ON DELETE CASCADE,
                    annotator_id INTEGER NOT NULL REFERENCES annotator(id) ON DELETE CASCADE,
                    expires_at TEXT NOT NULL,
                    PRIMARY KEY (task_id, annotator_id)
                ) WITHOUT ROWID;
                CREATE INDEX task_lease_by_annotator ON task_lease(annotator_id);
                CREATE INDEX task_lease_by_expiry ON task_lease(expires_at);
                CREATE INDEX annotator_by_token_hash ON annotator(token_hash) WHERE token_hash IS NOT NULL;
                CREATE TRIGGER annotation_task_counts_added_label
                AFTER INSERT ON judgement
                WHEN (SELECT kind FROM annotator WHERE id = NEW.annotator_id) = 'human'
                BEGIN
                    UPDATE annotation_task SET labels_done = labels_done + 1 WHERE comparison_id = NEW.comparison_id;
                END;
                CREATE TRIGGER annotation_task_counts_removed_label
                AFTER DELETE ON judgement
                WHEN (SELECT kind FROM annotator WHERE id = OLD.annotator_id) = 'human'
                BEGIN
                    UPDATE annotation_task SET labels_done = labels_done - 1
                    WHERE comparison_id = OLD.comparison_id AND labels_done > 0;
                END;
                """)
    }

    /// Version 3: the earlier versions of corrected labels (`label_revision`: a judgement's values before each
    /// change, with when they were given and when they were replaced) and the tasks people skipped (`task_skip`: never
    /// handed to that person again).
    static func createVersion3(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE label_revision (
                    id INTEGER PRIMARY KEY,
                    judgement_id INTEGER NOT NULL REFERENCES judgement(id) ON DELETE CASCADE,
                    overall TEXT NOT NULL CHECK (overall IN \(choiceCheck)),
                    helpfulness TEXT CHECK (helpfulness IN \(choiceCheck)),
                    safety TEXT CHECK (safety IN \(choiceCheck)),
                    fluency TEXT CHECK (fluency IN \(choiceCheck)),
                    comment TEXT,
                    judged_at TEXT,
                    replaced_at TEXT NOT NULL
                );
                CREATE INDEX label_revision_by_judgement ON label_revision(judgement_id);
                CREATE TABLE task_skip (
                    task_id INTEGER NOT NULL REFERENCES annotation_task(id) ON DELETE CASCADE,
                    annotator_id INTEGER NOT NULL REFERENCES annotator(id) ON DELETE CASCADE,
                    skipped_at TEXT NOT NULL,
                    PRIMARY KEY (task_id, annotator_id)
                ) WITHOUT ROWID;
                CREATE INDEX task_skip_by_annotator ON task_skip(annotator_id);
                """)
    }

    /// Version 4: quality control of a team of annotators.
    ///
    /// - `annotator.deactivated_at`: a person who may no longer sign in (their labels are kept).
    /// - `task_lease.leased_at`: when the task was handed to the annotator (renewals keep it), and `label_work`: for
    ///   each label given through a lease, when its task was handed out and whether the responses were shown swapped,
    ///   so time per task and the position bias of choices as shown can be measured.
    /// - `gold_task`: tasks with a known answer (relative to the stored A and B), mixed into every annotator's queue.
    /// - `task_assignee`: tasks meant for named annotators only (a task without rows is for everyone).
    /// - `store_setting`: per-store settings such as the annotation guidelines.
    /// Stores written before have no timing or shown order for their labels: those columns are NULL there.
    static func createVersion4(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE annotator ADD COLUMN deactivated_at TEXT;
                ALTER TABLE task_lease ADD COLUMN leased_at TEXT;
                CREATE TABLE label_work (
                    judgement_id INTEGER PRIMARY KEY REFERENCES judgement(id) ON DELETE CASCADE,
                    handed_at TEXT,
                    shown_swapped INTEGER CHECK (shown_swapped IN (0, 1))
                );
                CREATE TABLE gold_task (
                    task_id INTEGER PRIMARY KEY REFERENCES annotation_task(id) ON DELETE CASCADE,
                    answer TEXT NOT NULL CHECK (answer IN \(choiceCheck)),
                    created_at TEXT NOT NULL
                );
                CREATE TABLE task_assignee (
                    task_id INTEGER NOT NULL REFERENCES annotation_task(id) ON DELETE CASCADE,
                    annotator_id INTEGER NOT NULL REFERENCES annotator(id) ON DELETE CASCADE,
                    PRIMARY KEY (task_id, annotator_id)
                ) WITHOUT ROWID;
                CREATE INDEX task_assignee_by_annotator ON task_assignee(annotator_id);
                CREATE TABLE store_setting (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
    }
}
