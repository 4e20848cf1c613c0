"""Test strings for comparing swift-rlhf's tokenizers with Hugging Face `tokenizers`: hand-picked edge cases and a
seeded generator of random Unicode text (emoji with ZWJ, CJK, combining marks, control characters, odd spaces,
contractions, digits of many scripts, special-token strings)."""
import random

EDGE_CASES = [
    "", " ", "  ", "\n", "\n\n", " \n", "\n ", "\t", "\r\n", "a", " a", "a ", "  a", "a  ", "\ta", "a\t",
    "Hello world", "Hello  world", "Hello   world", "Hello\tworld", "Hello\nworld", "Hello \nworld", "Hello\n\nworld",
    "Hello \n\n world", "x \n y", "\n  Hello", "  \n\n  ", "end.\n", "end.\n\n", "a.\r\n\r\nb",
    "it's", "It'S", "we'LL", "they'Re", "I'm", "you'd", "it'ſ", "'s", "'", "''", "'hello", "rock'n'roll", "don't",
    "1", "12", "123", "1234", "12345", " 1", "  1", "   12345", "a1b2", "3.14159", "1,000,000", "x**2", "-42",
    "٣٤٥", "١٢٣٤", "１２３", "²³", "Ⅻ", "½ cup", "⑴⑵", "𝟘𝟙𝟚",
    "你好，世界！", "这是一个测试。", "中文 English 混合 text", "日本語のテキスト", "한국어 텍스트", "Ελληνικά", "Русский текст",
    "العربية", "हिन्दी", "ภาษาไทย",
    "🤖", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "❤️", "a🤖b", " 🤖", "🤖 🤖",
    "e\u0301", "é", "e\u0301\u0301", "\u0301", "a\u0308\u0304", "Å", "Å", "ﬁ", "ẛ̣",
    "\u00a0", "a\u00a0b", "\u3000", "a\u3000b", "\u2028", "\u0085", "\u200b", "a\u200db", "\ufeff",
    "\x00", "\x01\x02", "\x7f", "a\x0bb", "a\x0cb",
    "<|endoftext|>", "a<|endoftext|>b", " <|endoftext|> ", "<|endoftext|><|endoftext|>", "<|endoftext", "<|im_start|>user",
    "def f(x):\n    return x**2  # square\n", "if (a && b) { return c; }", "<div class=\"x\">", "https://example.com/a?b=c",
    "foo_bar baz-qux", "CamelCaseWord", "__init__", "...", "!!!", "?!", "---", "a--b", "  --  ",
]

ALPHABETS = {
    "ascii": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "digits": "0123456789",
    "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "space": " " * 8 + "\t\n\r",
    "odd_space": "\u00a0\u3000\u2028\u2029\u0085\u1680\u2000\u200a\u202f\u205f\x0b\x0c",
    "cjk": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长",
    "cjk_punct": "，。！？、；：“”‘’（）《》【】…—",
    "latin_ext": "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿſĀāĂăĄąĆćĈĉĊċČčĎďĐđ",
    "combining": "\u0300\u0301\u0302\u0303\u0308\u0327\u0338\u20dd\u093f\u0e31",
    "emoji": "🤖👍😀🎉🔥💯🙏🏽🏻🚀🌍",
    "zwj": "\u200d\ufe0f",
    "other_digits": "٠١٢٣٤٥٦٧٨٩０１２３４５６７８９²³¹½¼ⅠⅡⅫ①②",
    "scripts": "αβγδεζηθДЖЗИЙКЛабвгאבגדابتثजझटठกขคงㄱㄴㄷ가나다あいうアイウ",
    "control": "\x00\x01\x07\x1b\x7f\x80\x9f",
    "quote": "'",
}
WORDS = ["the", "The", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on", "are", "as",
         "with", "his", "they", "I", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but", "not",
         "what", "all", "were", "we", "when", "your", "can", "said", "there", "use", "an", "each", "which", "she", "do",
         "how", "their", "if", "will", "up", "other", "about", "out", "many", "then", "them", "these", "so", "some",
         "tokenizer", "Tokenization", "HELLO", "world", "return", "self", "def", "import", "numpy", "ids", "'s", "'ll",
         "'re", "'ve", "'m", "'d", "'t", "don't", "can't", "你好", "世界", "模型", "训练", "数据", "2024", "3.14", "1000"]


def random_text(rng, specials=("<|endoftext|>",)):
    """A random string: runs drawn from the alphabets, words, spaces and occasional special tokens or arbitrary code points."""
    parts = []
    for _ in range(rng.randint(1, 12)):
        kind = rng.random()
        if kind < 0.35:
            parts.append(rng.choice(WORDS) + rng.choice(["", " ", " ", "  ", "\n", ", ", ". "]))
        elif kind < 0.85:
            alphabet = ALPHABETS[rng.choice(list(ALPHABETS))]
            parts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))))
        elif kind < 0.93:
            c = rng.randint(1, 0x10FFFF)
            while 0xD800 <= c <= 0xDFFF:
                c = rng.randint(1, 0x10FFFF)
            parts.append(chr(c))
        elif specials:
            parts.append(rng.choice(specials))
        else:
            parts.append(" ")
    return "".join(parts)


def cases(count, seed, specials=("<|endoftext|>",)):
    rng = random.Random(seed)
    return EDGE_CASES + [random_text(rng, specials) for _ in range(count)]
