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
            (
                "annotators",
                .array(
                    progress.annotators.map { annotator in
                        JSONResponse.object([
                            ("annotator_id", JSONResponse.id(annotator.id.rawValue)),
                            ("name", .string(annotator.name)),
                            ("labels", .int(annotator.labels)),
                            ("last_label_at", JSONResponse.string(annotator.lastLabelAt.map(timestamp))),
                        ])
                    })
            ),
        ])
    }

    /// ISO 8601 UTC with milliseconds, as the store writes times.
    static func timestamp(_ date: Date) -> String {
        Timestamp.string(from: date)
    }
}
