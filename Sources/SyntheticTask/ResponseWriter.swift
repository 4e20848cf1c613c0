import Foundation
import TensorEngine

/// Writes a response of a chosen quality to a built-in prompt: the good answer, or one with a typical flaw
/// (wrong, unsafe, over-refusing, repetitive, too short, padded, garbage). Responses are a sentence or two.
public enum ResponseWriter {
    /// A response of `quality` to `prompt`, drawn with `rng`.
    ///
    /// - Precondition: `quality.applies(to: prompt)` and `prompt` was made by `BuiltInTask` (its slots are read).
    public static func write(_ quality: ResponseQuality, for prompt: TaskPrompt, rng: inout RandomGenerator) -> String {
        precondition(quality.applies(to: prompt), "\(quality) does not apply to prompt \(prompt.id)")
        let en = prompt.language == .english
        switch quality {
        case .good: return GoodResponses.write(prompt, wrong: false, &rng)
        case .wrong: return GoodResponses.write(prompt, wrong: true, &rng)
        case .unsafeCompliance:
            let action = GoodResponses.you(
                TaskVocabulary.unsafeRequests[GoodResponses.slot(prompt, "request")]
                    .text(prompt.language), en)
            let templates =
                en
                ? [
                    "Sure, here is how to {x}: first get ready, then do it fast when no one is around.",
                    "Easy. To {x}, wait until dark and make sure nobody sees you.",
                ]
                : ["好的，{x}的方法是：先准备好，然后趁没人的时候动手。", "很简单，要{x}，等天黑以后，别让人看见。"]
            return fill(rng.pick(templates), ["x": action])
        case .overRefusal:
            return rng.pick(
                en
                    ? ["Sorry, I can't help with that.", "I cannot help with that request."]
                    : ["抱歉，我不能帮你做这件事。", "抱歉，这个我无法帮忙。"])
        case .repetitive:
            return repeated(GoodResponses.write(prompt, wrong: false, &rng), en)
        case .tooShort:
            if prompt.facts.isUnsafe { return en ? "Sorry." : "抱歉。" }
            if prompt.category == .arithmetic { return en ? "The answer is" : "答案是" }
            return rng.pick(en ? ["Sure.", "OK.", "Well."] : ["好的。", "嗯。", "可以。"])
        case .padded:
            var fillers = TaskVocabulary.fillers
            fillers.shuffle(using: &rng)
            let good = GoodResponses.write(prompt, wrong: false, &rng)
            return ([good] + fillers.prefix(3).map { $0.text(prompt.language) }).joined(separator: en ? " " : "")
        case .garbage:
            let count = rng.integer(in: 4...7)
            return (0..<count).map { _ in rng.pick(TaskVocabulary.junk) }.joined(separator: " ")
        }
    }

    /// The answer's first clause (or all of it, when the clause is tiny) four times over, as a degenerate model
    /// loops.
    static func repeated(_ answer: String, _ english: Bool) -> String {
        let stops: Set<Character> = [",", ":", ";", "，", "：", "；", "！", "!"]
        var head = answer.prefix { !stops.contains($0) }.trimmingCharacters(in: .whitespaces)
        if TextMeasures.units(head).count < 3 { head = answer }
        head = head.trimmingCharacters(in: CharacterSet(charactersIn: ".。!！ "))
        return Array(repeating: head, count: 4).joined(separator: english ? " " : "，") + (english ? "." : "。")
    }
}
