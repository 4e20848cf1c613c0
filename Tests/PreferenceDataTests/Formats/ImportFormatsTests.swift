import Foundation
import Testing

@testable import PreferenceData

/// Each import format, checked through the store: what prompts, responses, comparisons and judgements it makes.
@Suite struct ImportFormatsTests {
    /// The one pair a single-comparison import produced, resolved by its judgement.
    private func onlyPair(_ store: PreferenceStore) throws -> (prompt: Prompt, chosen: String, rejected: String) {
        let prompt = try #require(try store.prompts().first)
        let comparison = try #require(try store.comparisons(of: prompt.id).first)
        let judgement = try #require(try store.judgements(of: comparison.id).first)
        let responses = try store.responses(to: prompt.id)
        let a = try #require(responses.first { $0.id == comparison.responseA }).text
        let b = try #require(responses.first { $0.id == comparison.responseB }).text
        return judgement.overall == .a ? (prompt, a, b) : (prompt, b, a)
    }

    @Test func pairsWithAPlainPrompt() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let report = try importLines(
            [pairLine("What is 2+2?", "4", "5")], into: store, in: directory, name: "math.jsonl")
        #expect(report.format == .pairs)
        #expect(report.source == "math")
        let (prompt, chosen, rejected) = try onlyPair(store)
        #expect(prompt.text == "What is 2+2?")
        #expect(prompt.context.isEmpty)
        #expect(prompt.source == "math")
        #expect((chosen, rejected) == ("4", "5"))
        #expect(try store.annotators().map(\.name) == ["math"])
        #expect(try store.annotators().map(\.kind) == [.dataset])
    }

    @Test func pairsWithMessagePromptsAndConversationalResponses() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let line = """
            {"prompt": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, \
            {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "Name a colour."}], \
            "chosen": [{"role": "assistant", "content": "Blue."}], "rejected": "I cannot.", "category": "chat"}
            """
        try importLines([line], into: store, in: directory)
        let (prompt, chosen, rejected) = try onlyPair(store)
        #expect(prompt.text == "Name a colour.")
        #expect(
            prompt.context == [
                Turn(role: .system, content: "Be brief."), Turn(role: .user, content: "Hi"),
                Turn(role: .assistant, content: "Hello!"),
            ])
        #expect(prompt.category == "chat")
        #expect((chosen, rejected) == ("Blue.", "I cannot."))
    }

    @Test func pairsWithAnHHTranscriptPrompt() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        try importLines(
            [pairLine("\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Tell me a joke\n\nAssistant:", " A joke.", " No.")],
            into: store, in: directory)
        let (prompt, chosen, _) = try onlyPair(store)
        #expect(prompt.text == "Tell me a joke")
        #expect(prompt.context == [Turn(role: .user, content: "Hi"), Turn(role: .assistant, content: "Hello")])
        #expect(chosen == " A joke.")
    }

    @Test func hhSingleTurn() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let line =
            #"{"chosen": "\n\nHuman: How do I boil an egg?\n\nAssistant: Simmer it for nine minutes.", "rejected": "\n\nHuman: How do I boil an egg?\n\nAssistant: No idea."}"#
        let report = try importLines([line], into: store, in: directory)
        #expect(report.format == .hh)
        let (prompt, chosen, rejected) = try onlyPair(store)
        #expect(prompt.text == "How do I boil an egg?")
        #expect(prompt.context.isEmpty)
        #expect((chosen, rejected) == ("Simmer it for nine minutes.", "No idea."))
    }

    @Test func hhMultiTurnSplitsContextFromTheFinalAnswer() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let shared =
            "\\n\\nHuman: I want to learn the guitar.\\n\\nAssistant: Great! Acoustic or electric?\\n\\nHuman: Acoustic. Where do I start?"
        let line =
            "{\"chosen\": \"\(shared)\\n\\nAssistant: Learn three chords: G, C and D.\\n\\nThen strum.\", "
            + "\"rejected\": \"\(shared)\\n\\nAssistant: Buy a piano.\"}"
        // A second dialogue with the same context shares the prompt.
        let second =
            "{\"chosen\": \"\(shared)\\n\\nAssistant: Find a teacher.\", \"rejected\": \"\(shared)\\n\\nAssistant: Buy a piano.\"}"
        let report = try importLines([line, second], into: store, in: directory)
        #expect(report.added.promptsAdded == 1)
        #expect(report.added.responsesAdded == 3)
        #expect(report.added.comparisonsAdded == 2)
        let prompt = try #require(try store.prompts().first)
        #expect(prompt.text == "Acoustic. Where do I start?")
        #expect(
            prompt.context == [
                Turn(role: .user, content: "I want to learn the guitar."),
                Turn(role: .assistant, content: "Great! Acoustic or electric?"),
            ])
        #expect(
            Set(try store.responses(to: prompt.id).map(\.text))
                == ["Learn three chords: G, C and D.\n\nThen strum.", "Buy a piano.", "Find a teacher."])
    }

    @Test func hhDialoguesThatDifferBeforeTheAnswerAreRejected() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let line = #"{"chosen": "\n\nHuman: A\n\nAssistant: x", "rejected": "\n\nHuman: B\n\nAssistant: y"}"#
        let error = #expect(throws: PreferenceDataError.self) { try importLines([line], into: store, in: directory) }
        #expect(
            error?.description.contains(
                "data.jsonl:1: \"chosen\" and \"rejected\" differ before the final Assistant turn (turn 1)") == true)
    }

    @Test func ratedCompletionsBecomeEveryPairWithScores() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let line = """
            {"prompt": "Write a haiku.", "completions": [{"text": "one", "score": 3}, \
            {"text": "two", "score": 7.5, "model": "m2"}, {"text": "three", "score": 3, "tokens": 4}]}
            """
        let report = try importLines(
            [line], into: store, in: directory, name: "rated.jsonl", options: ImportOptions(model: "m0"))
        #expect(report.format == .rated)
        #expect(report.added.comparisonsAdded == 3)
        let prompt = try #require(try store.prompts().first)
        let responses = try store.responses(to: prompt.id)
        let byID = Dictionary(uniqueKeysWithValues: responses.map { ($0.id, $0) })
        #expect(responses.map(\.model) == ["m0", "m2", "m0"])
        #expect(responses.map(\.tokenCount) == [nil, nil, 4])
        var outcomes: [String: Choice] = [:]
        for comparison in try store.comparisons(of: prompt.id) {
            let judgement = try #require(try store.judgements(of: comparison.id).first)
            let a = byID[comparison.responseA]!.text, b = byID[comparison.responseB]!.text
            outcomes[a + ">" + b] = judgement.overall
            // Scores follow their responses.
            let scores = ["one": 3.0, "two": 7.5, "three": 3.0]
            #expect(judgement.scoreA == scores[a])
            #expect(judgement.scoreB == scores[b])
        }
        #expect(outcomes == ["one>two": .b, "one>three": .tie, "two>three": .a])
    }

    @Test func ratedNeedsTwoDistinctCompletions() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let one = #"{"prompt": "p", "completions": [{"text": "x", "score": 1}]}"#
        let same = #"{"prompt": "p", "completions": [{"text": "x", "score": 1}, {"text": "x", "score": 2}]}"#
        let report = try importLines(
            [one, same], into: store, in: directory, options: ImportOptions(skipInvalid: true))
        #expect(
            report.skipped.map(\.problem) == [
                "field \"completions\" needs at least 2 completions to compare, got 1",
                "completions 1 and 2 have the same text",
            ])
    }

    @Test func formatIsDetectedPastAmbiguousLines() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let report = try importLines(
            [
                #"{"prompt": "only a prompt"}"#,
                #"{"prompt": "q", "response_a": {"text": "x"}, "response_b": {"text": "y"}}"#,
            ],
            into: store, in: directory)
        #expect(report.format == .native)
        #expect(try store.prompts().count == 2)
    }

    @Test func unknownFormatIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let error = #expect(throws: PreferenceDataError.self) {
            try importLines([#"{"text": "sft data, not preferences"}"#], into: store, in: directory)
        }
        #expect(
            error?.description
                == "\(directory.file("data.jsonl")):1: cannot tell the record format from the fields (text); give --format pairs, hh, rated or native"
        )
    }
}
