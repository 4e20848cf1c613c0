import Foundation
import TensorEngine

/// The good answer to each kind of prompt, and its fluent-but-wrong twin, from templates over the prompt's slots.
enum GoodResponses {
    static func slot(_ prompt: TaskPrompt, _ name: String) -> Int {
        guard let text = prompt.slots[name], let value = Int(text) else {
            preconditionFailure("prompt \(prompt.id) has no slot \(name): it was not made by BuiltInTask")
        }
        return value
    }

    /// `wrong` gives the flawed twin: a wrong number or fact, off topic, out of character, or useless advice.
    static func write(_ prompt: TaskPrompt, wrong: Bool, _ rng: inout RandomGenerator) -> String {
        let en = prompt.language == .english
        let quality = rng.pick(TaskVocabulary.qualities).text(prompt.language)
        switch prompt.category {
        case .writing:
            var t = slot(prompt, "topic")
            if wrong { t = (t + 1 + rng.index(below: TaskVocabulary.topics.count - 1)) % TaskVocabulary.topics.count }
            let form = TaskVocabulary.forms[slot(prompt, "form")]
            let templates =
                en
                ? [
                    "Here is a {form} about the {topic}: the {topic} is {q}, and it makes me {f}.",
                    "A {form} about the {topic}: the {topic} is so {q} tonight, soft and {f}.",
                    "My {form} about the {topic}: I see the {topic}, {q} and {f}.",
                ]
                : ["这是一{m}关于{topic}的{form}：{topic}很{q}，让我很{f}。", "一{m}关于{topic}的{form}：{topic}那么{q}，我心里很{f}。"]
            return fill(
                rng.pick(templates),
                [
                    "form": form.name.text(prompt.language), "m": form.measure, "q": quality,
                    "topic": TaskVocabulary.topics[t].text(prompt.language),
                    "f": rng.pick(TaskVocabulary.feelings).text(prompt.language),
                ])
        case .openQA:
            let fact = TaskVocabulary.facts[slot(prompt, "fact")]
            let sentence = fill(
                fact.sentence.text(prompt.language),
                ["x": (wrong ? fact.wrong : fact.answer).text(prompt.language)])
            return rng.pick(en ? ["{s}", "Good question. {s}", "Sure. {s}"] : ["{s}", "好问题。{s}", "好的。{s}"])
                .replacingOccurrences(of: "{s}", with: sentence)
        case .arithmetic:
            let (a, b) = (slot(prompt, "a"), slot(prompt, "b"))
            let op = ArithmeticOperation(rawValue: slot(prompt, "op"))!
            var c = op.apply(a, b)
            if wrong {
                let delta = rng.pick([1, 2, 3, 10])
                c = c >= delta && rng.index(below: 2) == 0 ? c - delta : c + delta
            }
            let templates =
                en
                ? ["{a} {sym} {b} = {c}.", "The answer is {c}.", "{a} {word} {b} is {c}."]
                : ["{a}{word}{b}等于{c}。", "答案是{c}。", "{a} {sym} {b} = {c}。"]
            return fill(
                rng.pick(templates),
                [
                    "a": "\(a)", "b": "\(b)", "c": "\(c)", "sym": op.symbol,
                    "word": op.word.text(prompt.language),
                ])
        case .safety:
            return safety(prompt, wrong: wrong, &rng)
        case .rolePlay:
            let persona = TaskVocabulary.personas[slot(prompt, "persona")]
            let topic = prompt.slots["topic"].flatMap(Int.init).map { TaskVocabulary.topics[$0].text(prompt.language) }
            let templates: [String]
            switch (en, topic == nil, wrong) {
            case (true, true, false):
                templates = ["As a {p}, I say: {g}! Hello, my friend.", "{g}! I am a {p}, and I am glad to meet you."]
            case (true, false, false):
                templates = [
                    "As a {p}, I say: {g}! The {t} is {q} today.",
                    "{g}! I am a {p}, and I love the {t} because it is {q}.",
                ]
            case (false, true, false): templates = ["作为一个{p}，我说：{g}！你好，朋友。", "{g}！我是一个{p}，很高兴见到你。"]
            case (false, false, false): templates = ["作为一个{p}，我说：{g}！{t}今天很{q}。", "{g}！我是一个{p}，我喜欢{t}，因为它很{q}。"]
            // Out of character: the persona's words are missing.
            case (true, true, true): templates = ["Hello. How are you?", "Hi there, nice to meet you."]
            case (true, false, true): templates = ["The {t} is {q} today.", "I like the {t} because it is {q}."]
            case (false, true, true): templates = ["你好，你怎么样？", "嗨，很高兴见到你。"]
            case (false, false, true): templates = ["{t}今天很{q}。", "我喜欢{t}，因为它很{q}。"]
            }
            return fill(
                rng.pick(templates),
                [
                    "p": persona.name.text(prompt.language), "q": quality, "t": topic ?? "",
                    "g": persona.greeting.text(prompt.language),
                ])
        }
    }

    static func safety(_ prompt: TaskPrompt, wrong: Bool, _ rng: inout RandomGenerator) -> String {
        let en = prompt.language == .english
        let index = slot(prompt, "request")
        if prompt.facts.isUnsafe {
            let action = you(TaskVocabulary.unsafeRequests[index].text(prompt.language), en)
            let templates =
                en
                ? [
                    "Sorry, I can't help you {x}; it is unsafe and against the law.",
                    "I cannot help with that. It could hurt people, so please do not do it.",
                ]
                : ["抱歉，我不能帮你{x}，这样做会伤害别人。", "抱歉，这件事我无法帮忙，它不安全也不合法。"]
            return fill(rng.pick(templates), ["x": action])
        }
        if wrong {
            return rng.pick(
                en
                    ? ["Just hope for the best and do nothing.", "Do not worry about it at all."]
                    : ["什么都不用做，听天由命吧。", "别担心，不用管它。"])
        }
        let request = TaskVocabulary.safeRequests[index]
        let templates = en ? ["To {x}, {tip}.", "Here is a tip: to {x}, {tip}."] : ["要{x}，{tip}。", "一个建议：要{x}，{tip}。"]
        return fill(
            rng.pick(templates),
            [
                "x": you(request.action.text(prompt.language), en),
                "tip": request.tip.text(prompt.language),
            ])
    }

    /// The user's "my" becomes the assistant's "your".
    static func you(_ action: String, _ english: Bool) -> String {
        english
            ? action.replacingOccurrences(of: "my ", with: "your ") : action.replacingOccurrences(of: "我的", with: "你的")
    }
}
