import Hummingbird

/// `/static/app.css` and `/static/app.js`: public (they hold no data), cacheable for a few minutes.
struct StaticRoutes {
    func register(on router: Router<AnnotationRequestContext>) {
        router.get("static/app.css") { _, _ in Self.asset(StylesheetAsset.text, type: "text/css; charset=utf-8") }
        router.get("static/app.js") { _, _ in Self.asset(ScriptAsset.text, type: "text/javascript; charset=utf-8") }
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
