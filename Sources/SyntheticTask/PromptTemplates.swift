import TensorEngine

/// Draws one prompt of a category and language from templates and word tables. The template and every slot are
/// drawn independently, so a few hundred prompts rarely repeat; `slots` records the drawn indices for the response
/// writer.
enum PromptTemplates {
    struct Draft {
        var text: String
        var facts: TaskFacts
        var slots: [String: String]
    }

    static func draw(_ category: TaskCategory, _ language: TaskLanguage, _ rng: inout RandomGenerator) -> Draft {
        switch category {
        case .writing: writing(language, &rng)
        case .openQA: openQA(language, &rng)
        case .arithmetic: arithmetic(language, &rng)
        case .safety: safety(language, &rng)
        case .rolePlay: rolePlay(language, &rng)
        }
    }

    static func writing(_ language: TaskLanguage, _ rng: inout RandomGenerator) -> Draft {
        let (t, f, m) = (
            rng.index(below: TaskVocabulary.topics.count), rng.index(below: TaskVocabulary.forms.count),
            rng.index(below: TaskVocabulary.moods.count)
        )
        let topic = TaskVocabulary.topics[t].text(language), form = TaskVocabulary.forms[f]
        let templates =
            language == .english
            ? [
                "Write a {mood} {form} about the {topic}.", "Please write a {form} about the {topic}.",
                "Can you write me a {mood} {form} about the {topic}?", "I would like a {form} about the {topic}.",
            ]
            : [
                "请写一{m}关于{topic}的{form}。", "能帮我写一{m}{mood}的{form}吗？主题是{topic}。",
                "写一{m}关于{topic}的{mood}{form}。", "我想要一{m}关于{topic}的{form}。",
            ]
        let text = fill(
            rng.pick(templates),
            [
                "topic": topic, "form": form.name.text(language), "m": form.measure,
                "mood": TaskVocabulary.moods[m].text(language),
            ])
        return Draft(
            text: text, facts: TaskFacts(requiredWords: [topic, form.name.text(language)]),
            slots: ["topic": "\(t)", "form": "\(f)"])
    }

    static func openQA(_ language: TaskLanguage, _ rng: inout RandomGenerator) -> Draft {
        let q = rng.index(below: TaskVocabulary.facts.count)
        let fact = TaskVocabulary.facts[q]
        let templates =
            language == .english
            ? ["{q}", "Quick question: {q}", "Please answer briefly. {q}", "I am curious. {q}"]
            : ["{q}", "请简单回答：{q}", "我想知道，{q}", "问一下：{q}"]
        let text = fill(rng.pick(templates), ["q": fact.question.text(language)])
        return Draft(text: text, facts: TaskFacts(requiredWords: [fact.answer.text(language)]), slots: ["fact": "\(q)"])
    }

    static func arithmetic(_ language: TaskLanguage, _ rng: inout RandomGenerator) -> Draft {
        let op = rng.pick(ArithmeticOperation.allCases)
        let (a, b) = op.operands(&rng)
        let templates =
            language == .english
            ? [
                "What is {a} {word} {b}?", "Compute {a} {sym} {b}.", "Please work out {a} {sym} {b}.",
                "Can you tell me what {a} {word} {b} is?",
            ]
            : ["{a}{word}{b}等于多少？", "请计算 {a} {sym} {b}。", "算一下 {a} {sym} {b} 是多少。", "{a}{word}{b}是多少？"]
        let text = fill(
            rng.pick(templates), ["a": "\(a)", "b": "\(b)", "sym": op.symbol, "word": op.word.text(language)])
        return Draft(
            text: text, facts: TaskFacts(answer: op.apply(a, b)),
            slots: ["a": "\(a)", "b": "\(b)", "op": "\(op.rawValue)"])
    }

    static func safety(_ language: TaskLanguage, _ rng: inout RandomGenerator) -> Draft {
        // Half unsafe, half safe on the same subjects: the oracle punishes both compliance and over-refusal.
        let unsafe = rng.index(below: 2) == 0
        let index = rng.index(below: unsafe ? TaskVocabulary.unsafeRequests.count : TaskVocabulary.safeRequests.count)
        let action = unsafe ? TaskVocabulary.unsafeRequests[index] : TaskVocabulary.safeRequests[index].action
        let templates =
            language == .english
            ? ["How do I {x}?", "Tell me how to {x}.", "Give me the steps to {x}.", "What is the best way to {x}?"]
            : ["我怎么才能{x}？", "告诉我怎么{x}。", "教我{x}的步骤。", "{x}最好的办法是什么？"]
        let text = fill(rng.pick(templates), ["x": action.text(language)])
        let words = unsafe ? [] : [TaskVocabulary.safeRequests[index].object.text(language)]
        return Draft(
            text: text, facts: TaskFacts(isUnsafe: unsafe, requiredWords: words),
            slots: ["request": "\(index)", "unsafe": unsafe ? "1" : "0"])
    }

    static func rolePlay(_ language: TaskLanguage, _ rng: inout RandomGenerator) -> Draft {
        let p = rng.index(below: TaskVocabulary.personas.count), t = rng.index(below: TaskVocabulary.topics.count)
        let persona = TaskVocabulary.personas[p].name.text(language), topic = TaskVocabulary.topics[t].text(language)
        let greet = rng.index(below: 3) == 0  // a third only greet; the rest also talk about a topic
        let templates: [String]
        switch (language, greet) {
        case (.english, true): templates = ["Pretend you are a {p} and say hello.", "Act as a {p} and greet me."]
        case (.english, false):
            templates = [
                "You are a {p}. Tell me about the {t}.", "Act as a {p} and describe the {t}.",
                "Pretend you are a {p} and talk about the {t}.",
            ]
        case (.chinese, true): templates = ["假装你是一个{p}，跟我打个招呼。", "扮演一个{p}，向我问好。"]
        case (.chinese, false):
            templates = [
                "你现在是一个{p}，给我讲讲{t}。", "扮演一个{p}，描述一下{t}。",
                "假装你是一个{p}，聊聊{t}。",
            ]
        }
        let text = fill(rng.pick(templates), ["p": persona, "t": topic])
        var slots = ["persona": "\(p)"]
        if !greet { slots["topic"] = "\(t)" }
        return Draft(
            text: text, facts: TaskFacts(persona: persona, requiredWords: greet ? [persona] : [persona, topic]),
            slots: slots)
    }
}
