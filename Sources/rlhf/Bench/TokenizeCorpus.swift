import TensorEngine

/// A deterministic, realistic benchmark corpus for tokenizers: documents of English prose (Zipf-distributed words,
/// capitals, punctuation, numbers, contractions, quotes), Chinese prose (common characters with full-width
/// punctuation, some mixed with English), and code (Python and Swift-like functions with indentation, identifiers,
/// literals and comments). The same seed always gives the same bytes, on every machine.
struct TokenizeCorpus {
    private var rng: RandomGenerator

    init(seed: UInt64) { rng = RandomGenerator(seed: seed) }

    /// Documents totalling at least `bytes` UTF-8 bytes.
    mutating func documents(totalBytes bytes: Int) -> [String] {
        var docs: [String] = []
        var total = 0
        while total < bytes {
            let kind = rng.next(below: 100)
            let doc: String
            if kind < 45 {
                doc = english()
            } else if kind < 70 {
                doc = chinese()
            } else if kind < 95 {
                doc = code()
            } else {
                doc = mixed()
            }
            total += doc.utf8.count
            docs.append(doc)
        }
        return docs
    }

    // MARK: English

    private static let words = """
        the of and to a in is that for it as was with be by on not he I this are or his from at which but have an they \
        you were her she there been one all we their has would when if so what no out up said about into them can more \
        time only new some could these two may first then do any like my now over such our man me even most made after \
        also did many before must through back years where much your way well down should because each just those people \
        how too little state good very make world still own see men work long get here between both life being under \
        never day same another know while last might us great old year off come since against go came right used take \
        three model training reward policy human feedback preference language data learning tokenizer gradient value \
        function network optimization reinforcement alignment assistant answer question sample batch loss token \
        sequence probability distribution evaluation benchmark experiment result method approach system performance
        """.split(separator: " ").map(String.init)
    private static let names = [
        "Alice", "Bob", "Paris", "London", "GPT", "ChatGLM", "Monday", "January", "OpenAI",
        "Beijing", "Python", "Swift", "Linux", "Hugging Face", "PPO", "DPO", "RLHF", "Tsinghua",
    ]

    private static let contractions = [
        "it's", "we'll", "they're", "I've", "don't", "can't", "she'd", "that's",
        "model's", "isn't", "you're", "won't",
    ]

    private mutating func zipfWord() -> String {
        let u = Double(rng.next(below: 1_000_000)) / 1_000_000
        return Self.words[min(Self.words.count - 1, Int(u * u * Double(Self.words.count)))]
    }

    private mutating func englishSentence() -> String {
        var parts: [String] = []
        let length = 6 + rng.next(below: 20)
        for i in 0..<length {
            var w: String
            switch rng.next(below: 40) {
            case 0: w = Self.names[rng.next(below: Self.names.count)]
            case 1: w = String(rng.next(below: 2030))
            case 2: w = "\(rng.next(below: 100)).\(rng.next(below: 100))%"
            case 3: w = Self.contractions[rng.next(below: Self.contractions.count)]
            case 4: w = "\"" + zipfWord() + "\""
            case 5: w = "(" + zipfWord() + ")"
            default: w = zipfWord()
            }
            if i == 0 { w = w.prefix(1).uppercased() + w.dropFirst() }
            if i < length - 1, rng.next(below: 12) == 0 { w += [",", ";", ":", " -"][rng.next(below: 4)] }
            parts.append(w)
        }
        return parts.joined(separator: " ") + [".", ".", ".", "?", "!"][rng.next(below: 5)]
    }

    private mutating func english() -> String {
        var paragraphs: [String] = []
        for _ in 0..<(2 + rng.next(below: 8)) {
            paragraphs.append((0..<(2 + rng.next(below: 6))).map { _ in englishSentence() }.joined(separator: " "))
        }
        return paragraphs.joined(separator: "\n\n")
    }

    // MARK: Chinese

    private static let hanzi = Array(
        """
        的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于\
        起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种\
        声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代\
        军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利\
        受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思\
        非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英\
        基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵\
        弟谁校读志飞观争究包组造落视济喝模型训练奖励策略人类反馈偏好语言数据学习优化强化对齐助手回答问题样本批量损失评估实验结果方法系统性能
        """)

    private mutating func chineseSentence() -> String {
        var s = ""
        let length = 8 + rng.next(below: 30)
        for i in 0..<length {
            s.append(Self.hanzi[rng.next(below: Self.hanzi.count)])
            if i < length - 1, rng.next(below: 9) == 0 { s.append(["，", "、", "；"][rng.next(below: 3)]) }
            if rng.next(below: 60) == 0 { s += String(rng.next(below: 3000)) }
            if rng.next(below: 80) == 0 { s += Self.names[rng.next(below: Self.names.count)] }
        }
        return s + ["。", "。", "！", "？", "……"][rng.next(below: 5)]
    }

    private mutating func chinese() -> String {
        (0..<(2 + rng.next(below: 6))).map { _ in
            (0..<(2 + rng.next(below: 6))).map { _ in chineseSentence() }.joined()
        }.joined(separator: "\n\n")
    }

    private mutating func mixed() -> String {
        (0..<(3 + rng.next(below: 8))).map { _ in rng.next(below: 2) == 0 ? englishSentence() : chineseSentence() }
            .joined(separator: " ")
    }

    // MARK: Code

    private mutating func identifier() -> String {
        let a = zipfWord(), b = zipfWord()
        switch rng.next(below: 4) {
        case 0: return a
        case 1: return a + "_" + b
        case 2: return a + b.prefix(1).uppercased() + b.dropFirst()
        default: return a + "_" + b + String(rng.next(below: 10))
        }
    }

    private mutating func expression() -> String {
        switch rng.next(below: 7) {
        case 0: return String(rng.next(below: 1000))
        case 1: return "\"\(zipfWord()) \(zipfWord())\""
        case 2:
            return
                "\(identifier()) \(["+", "-", "*", "/", "%", "==", "<=", "and", "or"][rng.next(below: 9)]) \(identifier())"
        case 3: return "\(identifier())(\(identifier()), \(rng.next(below: 64)))"
        case 4: return "\(identifier())[\(rng.next(below: 8))]"
        case 5: return "\(identifier()).\(identifier())"
        default: return "0x\(String(rng.next(below: 65536), radix: 16))"
        }
    }

    private mutating func code() -> String {
        var lines: [String] = []
        let python = rng.next(below: 2) == 0
        for _ in 0..<(1 + rng.next(below: 5)) {
            if python {
                lines.append("def \(identifier())(\(identifier()), \(identifier())=\(rng.next(below: 10))):")
                lines.append("    \"\"\"\(englishSentence())\"\"\"")
            } else {
                lines.append("func \(identifier())(_ \(identifier()): Int, \(identifier()): [String]) -> Bool {")
            }
            var depth = 1
            for _ in 0..<(3 + rng.next(below: 14)) {
                let pad = String(repeating: " ", count: 4 * depth)
                switch rng.next(below: 8) {
                case 0 where depth < 4:
                    lines.append(pad + (python ? "if \(expression()):" : "if \(expression()) {"))
                    depth += 1
                case 1 where depth < 4:
                    lines.append(
                        pad
                            + (python
                                ? "for \(identifier()) in range(\(rng.next(below: 100))):"
                                : "for \(identifier()) in 0..<\(rng.next(below: 100)) {"))
                    depth += 1
                case 2 where depth > 1:
                    if !python { lines.append(String(repeating: " ", count: 4 * (depth - 1)) + "}") }
                    depth -= 1
                case 3:
                    lines.append(pad + (python ? "# " : "// ") + englishSentence())
                case 4:
                    lines.append("")
                default:
                    lines.append(pad + (python ? "" : "let ") + "\(identifier()) = \(expression())")
                }
            }
            while depth > 1 {
                depth -= 1
                if !python { lines.append(String(repeating: " ", count: 4 * depth) + "}") }
            }
            lines.append(python ? "    return \(expression())" : "    return \(expression())\n}")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}

extension RandomGenerator {
    /// A number in 0..<n; plain modulo so the corpus never changes with the standard library's sampling.
    fileprivate mutating func next(below n: Int) -> Int { Int(next() % UInt64(n)) }
}
