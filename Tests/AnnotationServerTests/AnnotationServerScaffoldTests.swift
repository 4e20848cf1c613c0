import Testing
@testable import AnnotationServer

@Test func annotationServerModuleLinks() {
    _ = AnnotationServerModule.self
}
