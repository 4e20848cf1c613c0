import Hummingbird
import NIOCore
import PreferenceData

/// The admin export as a streamed response body: pages are read and written one after another (chunked transfer),
/// so the server holds one page in memory however large the export is.
///
/// `format=native` (default): every task comparison with all its labels. `format=pairs` or `hh`: the pairs the
/// training side reads — of split `split` when given, else the tasks' labels resolved now (`annotationTaskEntries`:
/// majority, ties, both-bad and cycles dropped).
enum ExportStream {
    /// The formats of the export.
    enum Format: String {
        case native, pairs, hh
    }

    /// The response for the export the request's query asks for; 400 for a bad parameter, 404 for an unknown split.
    static func response(_ request: Request, store: PreferenceStore) async throws -> Response {
        let query = request.uri.queryParameters
        let formatText = query.get("format").map { String($0) } ?? Format.native.rawValue
        guard let format = Format(rawValue: formatText) else {
            throw APIError.badRequest(
                "\"format\" must be \"native\", \"pairs\" or \"hh\", got \"\(formatText.prefix(40))\"")
        }
        let body: ResponseBody
        switch format {
        case .native:
            body = self.body(store: store, versions: try versions(request))
        case .pairs, .hh:
            let entries: [SplitEntry]
            if let split = query.get("split") {
                entries = try store.entries(inSplit: String(split))
            } else {
                entries = try await store.annotationTaskEntries()
            }
            body = pairsBody(store: store, entries: entries, format: format == .pairs ? .pairs : .hh)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/x-ndjson; charset=utf-8",
                .contentDisposition: "attachment; filename=\"annotations-\(format.rawValue).jsonl\"",
            ], body: body)
    }

    /// The `revisions` query parameter: `latest` (default) or `all`; 400 for anything else.
    static func versions(_ request: Request) throws -> LabelVersions {
        guard let text = request.uri.queryParameters.get("revisions") else { return .latest }
        guard let versions = LabelVersions(rawValue: text) else {
            throw APIError.badRequest("\"revisions\" must be \"latest\" or \"all\", got \"\(text.prefix(40))\"")
        }
        return versions
    }

    /// A body that writes the export of `store` in `versions`, one chunk per page of `pageSize` comparisons.
    static func body(store: PreferenceStore, versions: LabelVersions, pageSize: Int = 200) -> ResponseBody {
        ResponseBody { writer in
            var after: ComparisonID?
            repeat {
                let page = try await store.annotationExportPage(after: after, limit: pageSize, versions: versions)
                if !page.bytes.isEmpty { try await writer.write(ByteBuffer(bytes: page.bytes)) }
                after = page.nextAfter
            } while after != nil
            try await writer.finish(nil)
        }
    }

    /// A body that writes the pairs of `entries` as `format` lines, one chunk per `pageSize` pairs.
    static func pairsBody(store: PreferenceStore, entries: [SplitEntry], format: RecordFormat, pageSize: Int = 200)
        -> ResponseBody
    {
        ResponseBody { writer in
            for start in stride(from: 0, to: entries.count, by: pageSize) {
                let page = try await store.pairs(for: Array(entries[start..<min(entries.count, start + pageSize)]))
                let bytes = try JSONLinesExporter.lines(page, format: format)
                if !bytes.isEmpty { try await writer.write(ByteBuffer(bytes: bytes)) }
            }
            try await writer.finish(nil)
        }
    }
}
