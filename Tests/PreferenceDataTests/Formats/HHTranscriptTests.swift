import Testing

@testable import PreferenceData

@Suite struct HHTranscriptTests {
    @Test func splitsTurnsAndKeepsParagraphsInsideThem() throws {
        let text =
            "\n\nHuman: First question?\n\nAssistant: An answer.\n\nWith a second paragraph.\n\nHuman: Follow-up\n\nAssistant: Final."
        let turns = try HHTranscript.turns(text)
        #expect(
            turns == [
                Turn(role: .user, content: "First question?"),
                Turn(role: .assistant, content: "An answer.\n\nWith a second paragraph."),
                Turn(role: .user, content: "Follow-up"),
                Turn(role: .assistant, content: "Final."),
            ])
    }

    @Test func acceptsATranscriptWithoutLeadingNewlines() throws {
        #expect(
            try HHTranscript.turns("Human: hi there\n\nAssistant: hello") == [
                Turn(role: .user, content: "hi there"), Turn(role: .assistant, content: "hello"),
            ])
    }

    @Test func rejectsTextBeforeTheFirstTurnAndTextWithoutTurns() {
        #expect(throws: FieldError.self) { try HHTranscript.turns("preamble\n\nHuman: hi\n\nAssistant: yo") }
        #expect(throws: FieldError.self) { try HHTranscript.turns("just some text") }
    }

    @Test func transcriptRoundTrips() throws {
        let turns = [
            Turn(role: .user, content: "a"), Turn(role: .assistant, content: "b\n\nc"), Turn(role: .user, content: "d"),
        ]
        #expect(try HHTranscript.turns(HHTranscript.transcript(turns)) == turns)
    }
}
