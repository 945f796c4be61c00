"""Language helpers shared by rules: sentences, quotations, negation, definitions.

All functions work on prose offsets. Word lists come from rules/lexicons/english.yml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from healthlint.matching import phrase_pattern
from healthlint.resources import load_lexicon

# possessive repeats: what follows each cannot begin with a character it takes, so giving one back
# never helps, and re runs a possessive repeat about twice as fast
WORD_RE = re.compile(r"[\w'’]++(?:[-.][\w'’]++)*+")
SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")
OPENING_QUOTES = {"“": "”", '"': '"', "«": "»", "„": "“"}
NEXT_CHARACTER_RE = re.compile(r"\s*(\S)")
QUOTE_START_RE = re.compile("[" + "".join(OPENING_QUOTES) + "‘]")


def _by_first_word(phrases: list[str]) -> dict[str, list[list[str]]]:
    """Phrases as word lists, filed under their first word."""
    out: dict[str, list[list[str]]] = {}
    for phrase in phrases:
        words = phrase.lower().split()
        out.setdefault(words[0], []).append(words)
    return out


@lru_cache(maxsize=1)
def _english() -> dict:
    data = load_lexicon("english")
    return {
        "abbreviations": frozenset(data["abbreviations"]),
        "negation_cues": _by_first_word(data["negation-cues"] + data["distancing-cues"]),
        "pseudo": _by_first_word(data["pseudo-negations"]),
        "window": int(data["negation-window"]),
        "boundaries": frozenset(data["clause-boundaries"]),
        "definition_cues": _by_first_word(data["definition-cues"]),
        "definition_window": int(data["definition-window"]),
    }


def split_sentences(prose: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in prose[start:end] (one block), trimmed of spaces."""
    abbreviations = _english()["abbreviations"]
    spans = []
    begin = start
    for m in SENTENCE_END_RE.finditer(prose, start, end):
        if m.group(0)[0] == ".":
            k = m.start()
            while k > begin and (prose[k - 1] == "." or prose[k - 1].isalnum() or prose[k - 1] == "_"):
                k -= 1  # back to the start of the word before the full stop
            token = prose[k:m.start()].lower()
            if token in abbreviations or (len(token) == 1 and not token.isdigit()):
                continue  # "Dr.", "J. Smith", "e.g.", decimals handled by the lookahead
            if token.isdecimal() and not prose[begin:k].strip():
                continue  # "2. Take it with food": an item number, not a sentence of its own
        after = m.end()
        nxt = NEXT_CHARACTER_RE.match(prose, after, end)
        if nxt and nxt.group(1).islower():
            continue
        spans.append((begin, after))
        begin = after
    if begin < end:
        spans.append((begin, end))
    trimmed = []
    for s, e in spans:
        while s < e and prose[s].isspace():
            s += 1
        while e > s and prose[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def quoted_spans(prose: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans inside quotation marks in one block (quotes do not cross blocks). A ‘ opens
    a quotation only at a word start, and ’ closes one only at a word end (it's, don’t)."""
    spans = []
    i = start
    while (m := QUOTE_START_RE.search(prose, i, end)) is not None:
        i = m.start()
        ch = prose[i]
        closer = OPENING_QUOTES.get(ch)
        if closer is None and (i == start or not prose[i - 1].isalnum()):
            closer = "’"
        j = prose.find(closer, i + 1, end) if closer else -1
        while closer == "’" and j != -1 and j + 1 < end and prose[j + 1].isalpha():
            j = prose.find(closer, j + 1, end)
        if j != -1:
            spans.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return spans


CLAUSE_BREAK_RE = re.compile(r"[,;:—–()]|\s-\s")


def _words_before(prose: str, sentence_start: int, at: int, count: int) -> list[str]:
    """The last `count` words before `at` in its clause (negation does not cross clause
    punctuation), lower case. Reads only as far back as it needs, so a check costs the same
    in a sentence of ten words or of ten thousand."""
    reach = 64 * (count + 1)
    while True:
        start = max(sentence_start, at - reach)
        piece = prose[start:at]
        tail = CLAUSE_BREAK_RE.split(piece)[-1]
        words = WORD_RE.findall(tail)
        if len(tail) < len(piece) or start == sentence_start:
            break   # the clause starts inside the piece
        if len(words) > count:
            words = words[1:]   # the piece may begin inside a word
            break
        reach *= 2
    return [w.lower().replace("’", "'") for w in words[-count:]] if count else []


def is_negated(prose: str, sentence_start: int, at: int) -> bool:
    """NegEx-style: a negation cue a few words before `at`, in the same clause."""
    lex = _english()
    window = _words_before(prose, sentence_start, at, lex["window"])
    for i in range(len(window) - 1, -1, -1):
        if window[i] in lex["boundaries"]:
            window = window[i + 1:]
            break
    for i, word in enumerate(window):
        rest = window[i:]
        if any(rest[:len(p)] == p for p in lex["pseudo"].get(word, ())):
            continue
        if any(rest[:len(cue)] == cue for cue in lex["negation_cues"].get(word, ())):
            return True  # the cue must start inside the window; it may run past it
    return False


def _has_cue(words: list[str], cues: dict[str, list[list[str]]]) -> bool:
    """Whether a cue (filed by its first word, see _by_first_word) starts at one of `words`."""
    return any(words[i:i + len(cue)] == cue for i, word in enumerate(words) for cue in cues.get(word, ()))


def is_defined(prose: str, sentence: tuple[int, int], start: int, end: int, explanation: str | None = None) -> bool:
    """True when the term at [start, end) is explained in its sentence: in brackets right
    after it ("hypertension (high blood pressure)"), in brackets after its explanation
    ("high blood pressure (hypertension)"), followed by ", or" ("hypertension, or high blood
    pressure"), with `explanation` elsewhere in the sentence, or with a definition cue
    ("called", "which means") within a few words (rules/lexicons/english.yml)."""
    lex = _english()
    before, after = prose[sentence[0]:start], prose[end:sentence[1]]
    if re.match(r"\s*\(|,\s*or\s", after) or (before.rstrip().endswith("(") and after.lstrip().startswith(")")):
        return True
    if explanation:
        pattern = re.compile(phrase_pattern(explanation), re.I)
        if pattern.search(before) or pattern.search(after):
            return True
    window = lex["definition_window"]
    words_before = [w.lower() for w in WORD_RE.findall(before)][-window:]
    words_after = [w.lower() for w in WORD_RE.findall(after)][:window]
    return _has_cue(words_before, lex["definition_cues"]) or _has_cue(words_after, lex["definition_cues"])
