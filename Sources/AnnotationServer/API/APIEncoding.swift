import Foundation
import JSONSupport
import PreferenceData

/// The JSON shapes of the API (documented in docs/annotation-api.yaml).
enum APIEncoding {
    /// `{"task_id", "prompt", "context", "response_a", "response_b", "lease_expires_at"}`, responses in the order shown.
    static func assignment(_ assignment: TaskAssignment, order: ResponseOrder) -> JSONValue {
        let shown = order.presented(responseA: assignment.responseA, responseB: assignment.responseB)
        return JSONResponse.object([
            ("task_id", JSONResponse.id(assignment.taskID.rawValue)),
            ("prompt", .string(assignment.prompt)),
            (
                "context",
                .array(
                    assignment.context.map { turn in
                        JSONResponse.object([("role", .string(turn.role.rawValue)), ("content", .string(turn.content))])
                    })
            ),
            ("response_a", .string(shown.a)),
            ("response_b", .string(shown.b)),
            ("lease_expires_at", .string(timestamp(assignment.leaseExpiresAt))),
        ])
    }

    /// `{"task_id", "lease_expires_at"}`: a renewed lease.
    static func lease(task: AnnotationTaskID, expiresAt: Date) -> JSONValue {
        JSONResponse.object([
            ("task_id", JSONResponse.id(task.rawValue)), ("lease_expires_at", .string(timestamp(expiresAt))),
        ])
    }

    /// `{"label_id", "task_id", "choice", "dimensions", "comment", "labelled_at"}`, choices relative to the order shown.
    static func label(_ label: AnnotationLabel, order: ResponseOrder) -> JSONValue {
        let shown = order.presented(label.label)
        let dimensions = QualityDimension.allCases.compactMap { dimension in
            shown.dimensions[dimension].map { (key: dimension.rawValue, value: JSONValue.string($0.rawValue)) }
        }
        return JSONResponse.object([
            ("label_id", JSONResponse.id(label.id.rawValue)),
            ("task_id", JSONResponse.id(label.taskID.rawValue)),
            ("choice", .string(shown.overall.rawValue)),
            ("dimensions", .object(JSONObject(dimensions))),
            ("comment", JSONResponse.string(shown.comment)),
            ("labelled_at", JSONResponse.string(label.judgedAt.map(timestamp))),
        ])
    }

    /// The admin's progress report.
    static func progress(_ progress: AnnotationProgress) -> JSONValue {
        JSONResponse.object([
            ("tasks", .int(progress.tasks)),
            ("tasks_complete", .int(progress.tasksComplete)),
            ("labels_wanted", .int(progress.labelsWanted)),
            ("labels_done", .int(progress.labelsDone)),
            ("active_leases", .int(progress.activeLeases)),
            ("labels_last_hour", .int(progress.labelsLastHour)),
            ("gold_tasks", .int(progress.goldTasks)),
            ("gold_labels", .int(progress.goldLabels)),
            (
                "annotators",
                .array(
                    progress.annotators.map { annotator in
                        JSONResponse.object([
                            ("annotator_id", JSONResponse.id(annotator.id.rawValue)),
                            ("name", .string(annotator.name)),
                            ("labels", .int(annotator.labels)),
                            ("last_label_at", JSONResponse.string(annotator.lastLabelAt.map(timestamp))),
                            ("active", .bool(annotator.isActive)),
                        ])
                    })
            ),
        ])
    }

    /// `{"annotator_id", "name", "active", "created_at", "deactivated_at"}`: a person who can sign in.
    static func person(_ annotator: Annotator) -> JSONValue {
        JSONResponse.object([
            ("annotator_id", JSONResponse.id(annotator.id.rawValue)),
            ("name", .string(annotator.name)),
            ("active", .bool(annotator.isActive)),
            ("created_at", .string(timestamp(annotator.createdAt))),
            ("deactivated_at", JSONResponse.string(annotator.deactivatedAt.map(timestamp))),
        ])
    }

    /// `{"task_id", "comparison_id", "answer", "labels", "correct"}`: a gold task (answer in the stored order).
    static func gold(_ task: GoldTask) -> JSONValue {
        JSONResponse.object([
            ("task_id", JSONResponse.id(task.taskID.rawValue)),
            ("comparison_id", JSONResponse.id(task.comparisonID.rawValue)),
            ("answer", .string(task.answer.rawValue)),
            ("labels", .int(task.labels)),
            ("correct", .int(task.correct)),
        ])
    }

    /// The dashboard's numbers: per person (best first), per pair of people, labels per hour.
    static func quality(_ report: AnnotationQualityReport) -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
        return JSONResponse.object([
            (
                "annotators",
                .array(
                    report.annotators.map { person in
                        JSONResponse.object([
                            ("annotator_id", JSONResponse.id(person.id.rawValue)),
                            ("name", .string(person.name)),
                            ("active", .bool(person.isActive)),
                            ("labels", .int(person.labels)),
                            ("median_seconds_per_task", number(person.medianSecondsPerTask)),
                            (
                                "shown_choices",
                                JSONResponse.object(
                                    Choice.allCases.map { ($0.rawValue, .int(person.shownChoices[$0, default: 0])) })
                            ),
                            ("majority_agreement", number(person.majorityAgreement)),
                            ("majority_items", .int(person.majorityItems)),
                            ("mean_cohen_kappa", number(person.meanCohenKappa)),
                            ("gold_answered", .int(person.gold.answered)),
                            ("gold_correct", .int(person.gold.correct)),
                            ("gold_accuracy", number(person.gold.accuracy)),
                            ("gold_kappa", number(person.goldKappa)),
                        ])
                    })
            ),
            (
                "pairwise",
                .array(
                    report.pairwise.map { pair in
                        JSONResponse.object([
                            ("first", JSONResponse.id(pair.first.rawValue)),
                            ("second", JSONResponse.id(pair.second.rawValue)),
                            ("shared", .int(pair.sharedItems)),
                            ("agreement", .number(pair.agreement)),
                            ("cohen_kappa", number(pair.cohenKappa)),
                        ])
                    })
            ),
            (
                "labels_per_hour",
                .array(
                    report.labelsPerHour.map { hour in
                        JSONResponse.object([("hour", .string(timestamp(hour.hour))), ("labels", .int(hour.labels))])
                    })
            ),
        ])
    }

    /// ISO 8601 UTC with milliseconds, as the store writes times.
    static func timestamp(_ date: Date) -> String {
        Timestamp.string(from: date)
    }
}
