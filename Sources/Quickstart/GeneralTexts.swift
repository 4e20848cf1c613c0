/// Public-domain texts unrelated to the built-in task, for the forgetting check: a model aligned on the task should
/// still predict ordinary prose about as well as before. Passages of 19th-century and older works (and two Chinese
/// classics), quoted as printed.
enum GeneralTexts {
    static let passages = [
        // Abraham Lincoln, the Gettysburg Address (1863).
        """
        Four score and seven years ago our fathers brought forth on this continent, a new nation, conceived in \
        Liberty, and dedicated to the proposition that all men are created equal. Now we are engaged in a great civil \
        war, testing whether that nation, or any nation so conceived and so dedicated, can long endure. We are met on \
        a great battle-field of that war. We have come to dedicate a portion of that field, as a final resting place \
        for those who here gave their lives that that nation might live.
        """,
        // Jane Austen, Pride and Prejudice (1813), chapter 1.
        """
        It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of \
        a wife. However little known the feelings or views of such a man may be on his first entering a \
        neighbourhood, this truth is so well fixed in the minds of the surrounding families, that he is considered \
        the rightful property of some one or other of their daughters.
        """,
        // Charles Dickens, A Tale of Two Cities (1859), book 1, chapter 1.
        """
        It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness, \
        it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, it was the season of \
        Darkness, it was the spring of hope, it was the winter of despair, we had everything before us, we had \
        nothing before us.
        """,
        // Herman Melville, Moby-Dick (1851), chapter 1.
        """
        Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, and \
        nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of \
        the world. It is a way I have of driving off the spleen and regulating the circulation.
        """,
        // Lewis Carroll, Alice's Adventures in Wonderland (1865), chapter 1.
        """
        Alice was beginning to get very tired of sitting by her sister on the bank, and of having nothing to do: once \
        or twice she had peeped into the book her sister was reading, but it had no pictures or conversations in it, \
        "and what is the use of a book," thought Alice, "without pictures or conversations?"
        """,
        // The Declaration of Independence (1776), second paragraph.
        """
        We hold these truths to be self-evident, that all men are created equal, that they are endowed by their \
        Creator with certain unalienable Rights, that among these are Life, Liberty and the pursuit of Happiness. \
        That to secure these rights, Governments are instituted among Men, deriving their just powers from the \
        consent of the governed.
        """,
        // Genesis 1:1-5, King James Version (1611).
        """
        In the beginning God created the heaven and the earth. And the earth was without form, and void; and darkness \
        was upon the face of the deep. And the Spirit of God moved upon the face of the waters. And God said, Let \
        there be light: and there was light. And God saw the light, that it was good: and God divided the light from \
        the darkness.
        """,
        // Arthur Conan Doyle, A Scandal in Bohemia (1891).
        """
        To Sherlock Holmes she is always the woman. I have seldom heard him mention her under any other name. In his \
        eyes she eclipses and predominates the whole of her sex. It was not that he felt any emotion akin to love for \
        Irene Adler. All emotions, and that one particularly, were abhorrent to his cold, precise but admirably \
        balanced mind.
        """,
        // Mary Shelley, Frankenstein (1818), letter 1.
        """
        You will rejoice to hear that no disaster has accompanied the commencement of an enterprise which you have \
        regarded with such evil forebodings. I arrived here yesterday, and my first task is to assure my dear sister \
        of my welfare and increasing confidence in the success of my undertaking.
        """,
        // The Analects, book 1 (论语·学而).
        "子曰：学而时习之，不亦说乎？有朋自远方来，不亦乐乎？人不知而不愠，不亦君子乎？",
        // Tao Te Ching, chapter 1 (道德经·第一章).
        "道可道，非常道；名可名，非常名。无名天地之始，有名万物之母。故常无欲，以观其妙；常有欲，以观其徼。",
    ]
}
