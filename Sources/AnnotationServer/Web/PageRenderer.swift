import Hummingbird
import Mustache

/// Renders the pages' Mustache templates (registered once) into HTML responses.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Parses every template; throws if one is malformed (a programming error the tests catch).
    init() throws {
        var library = MustacheLibrary()
        for template in PageTemplates.all {
            try library.register(template.text, named: template.name)
        }
        self.library = library
    }

    /// The HTML of template `name` for `page` (a view-model struct whose properties the template names).
    func render(_ name: String, _ page: Any) -> String {
        library.render(page, withTemplate: name) ?? ""
    }

    /// An HTML response of template `name`.
    func response(_ name: String, _ page: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response
    {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        return Response(
            status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: render(name, page))))
    }
}
