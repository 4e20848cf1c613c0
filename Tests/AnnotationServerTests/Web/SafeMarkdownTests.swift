import Testing

@testable import AnnotationServer

@Suite struct SafeMarkdownTests {
    @Test func blocksAndInlineSpans() {
        let blocks = SafeMarkdown.blocks(
            "# Title\n\nFirst line\nsame paragraph with **bold**, *em* and `co*de`.\n\n- one\n  more\n- two\n1. first\n```\n<b>x</b>\n```\n### Small"
        )
        #expect(blocks.count == 6)
        #expect(blocks[0].heading1 && blocks[0].spans == [MarkdownSpan("Title")])
        #expect(blocks[1].paragraph)
        #expect(
            blocks[1].spans == [
                MarkdownSpan("First line same paragraph with "), MarkdownSpan("bold", strong: true), MarkdownSpan(", "),
                MarkdownSpan("em", emphasis: true), MarkdownSpan(" and "), MarkdownSpan("co*de", code: true),
                MarkdownSpan("."),
            ])
        #expect(blocks[2].bullets && blocks[2].items.count == 2)
        #expect(blocks[2].items[0].spans.map(\.text).joined() == "one more")
        #expect(blocks[3].numbered && blocks[3].items.count == 1)
        #expect(blocks[4].code && blocks[4].codeText == "<b>x</b>")
        #expect(blocks[5].heading3)
    }

    @Test func markupIsKeptAsText() {
        let blocks = SafeMarkdown.blocks("<script>alert(1)</script> [x](javascript:alert(2)) snake_case_name *open")
        #expect(blocks.count == 1)
        #expect(blocks[0].spans.allSatisfy { $0.plain })
        #expect(
            blocks[0].spans.map(\.text).joined()
                == "<script>alert(1)</script> [x](javascript:alert(2)) snake_case_name *open")
    }

    @Test func taskIDLists() throws {
        #expect(try TaskIDList.parse("1-3, 7 3").map(\.rawValue) == [1, 2, 3, 7])
        for bad in ["", "0", "3-1", "a", "1-", "-2"] {
            #expect(throws: TaskIDListError.self, "\(bad)") { try TaskIDList.parse(bad) }
        }
        #expect(throws: TaskIDListError.self) { try TaskIDList.parse("1-1000000000") }
    }
}
