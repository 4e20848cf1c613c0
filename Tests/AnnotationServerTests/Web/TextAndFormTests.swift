import Testing

@testable import AnnotationServer

@Suite struct TextAndFormTests {
    @Test func fencedCodeBecomesCodeBlocksAndProseKeepsLineBreaks() {
        let blocks = TextBlocks.split("Here is code:\n\n```swift\nlet x = 1\n    indented()\n```\nline one\nline two")
        #expect(
            blocks == [
                TextBlock(text: "Here is code:", isCode: false, language: nil),
                TextBlock(text: "let x = 1\n    indented()", isCode: true, language: "swift"),
                TextBlock(text: "line one\nline two", isCode: false, language: nil),
            ])
    }

    @Test func unclosedFenceRunsToTheEndAndCRLFIsNormalised() {
        #expect(
            TextBlocks.split("a\r\nb\r\n```\ncode") == [
                TextBlock(text: "a\nb", isCode: false, language: nil),
                TextBlock(text: "code", isCode: true, language: nil),
            ])
        #expect(TextBlocks.split("").isEmpty)
        #expect(
            TextBlocks.split("<script>alert(1)</script>") == [
                TextBlock(text: "<script>alert(1)</script>", isCode: false, language: nil)
            ])
    }

    @Test func formBodyDecodesPercentAndPlus() {
        let form = FormBody(decoding: "token=a%2Bb+c&csrf=x%3D%26y&empty=&token=second&%E2%9C%93=%C3%A9")
        #expect(form["token"] == "a+b c")
        #expect(form["csrf"] == "x=&y")
        #expect(form["empty"] == "")
        #expect(form["✓"] == "é")
        #expect(form["missing"] == nil)
    }

    @Test func templatesNeverRenderUnescapedValues() {
        for template in PageTemplates.all {
            #expect(!template.text.contains("{{{"), "\(template.name) uses {{{ }}}")
            #expect(!template.text.contains("{{&"), "\(template.name) uses {{& }}")
        }
        _ = try? PageRenderer()
    }
}
