import Hummingbird
import NIOCore
import PreferenceData

/// The admin export as a streamed response body: pages of task comparisons are read and written one after another
/// (chunked transfer), so the server holds one page in memory however large the export is.
enum ExportStream {
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
}
