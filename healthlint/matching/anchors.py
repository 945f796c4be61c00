"""The words a pattern's matches can begin with, so a search can skip to where they occur.

re tries a pattern at every position of a text, and a pattern of many phrases costs a few
hundred nanoseconds a position even where nothing can start. When every match must begin,
at the start of a word, with one of a known set of words ("you can ...", "no side effects"),
the positions worth trying are the places those words occur: found once per text with a
dictionary of its words, and tried with re's match() there. first_words() reads the pattern
with re's own parser, and gives up (None) on anything it cannot be sure of, such as a class
of letters, a repeated letter, or an alternative that can start inside a word."""
from __future__ import annotations

from re import _constants as sre, _parser

WORD_LIMIT = 5000   # more first words than this: scanning is as quick as looking them all up
DIGITS = "\\d"     # stands for every word that begins with a digit (no word has a backslash)
SMALL_CLASS = 12    # a class of at most this many characters is tried one character at a time


class _Unsure(Exception):
    """The pattern has something first_words() cannot account for."""


def first_words(pattern: str) -> frozenset[str] | None:
    """The lowercase words that every match of `pattern` (run case-sensitively on lowercased
    text) begins with, each a whole word (\\w+) of the text at a word start or a single sign
    (such as "©"); None when that cannot be told."""
    try:
        items = list(_parser.parse(pattern))
        words = _walk(items, "", False, set())
    except Exception:   # _Unsure, or any surprise from the parser: no shortcut  # noqa: BLE001
        return None
    return frozenset(words) if words and len(words) <= WORD_LIMIT else None


def _is_word_char(code: int) -> bool:
    char = chr(code)
    return char.isalnum() or char == "_"


def _set_kind(items) -> str:
    """"word" when a character class can hold a word character, "other" when it cannot."""
    for op, av in items:
        if op is sre.LITERAL:
            if _is_word_char(av):
                return "word"
        elif op is not sre.CATEGORY or av not in (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_WORD):
            return "word"   # a letter class, a range, a negated class, ...
    return "other"


def _holds_word_category(op, av) -> bool:
    """Whether an item is \\w or a class with \\w in it ([\\w-])."""
    return (op is sre.IN and (sre.CATEGORY, sre.CATEGORY_WORD) in av) or \
        (op is sre.CATEGORY and av is sre.CATEGORY_WORD)


def _guard(op, av) -> bool:
    """Whether a zero-width check at a match's start says that no word character comes before it."""
    if op is sre.AT:
        return av in (sre.AT_BOUNDARY, sre.AT_BEGINNING, sre.AT_BEGINNING_STRING)
    if op is sre.ASSERT_NOT and av[0] == -1:   # (?<![\w-]) or (?<!\w)
        return any(_holds_word_category(o, a) for o, a in av[1])
    if op is sre.ASSERT and av[0] == -1:        # (?<=[.!?]\s): what comes before is not a word character
        last = list(av[1])[-1:]
        return bool(last) and (last[0][0] is sre.IN and _set_kind(last[0][1]) == "other"
                               or last[0][0] is sre.LITERAL and not _is_word_char(last[0][1]))
    return False


def _walk(items: list, word: str, guarded: bool, ended: set[str]) -> set[str]:
    """Follow `items` with the word read so far; add to `ended` each first word that ends."""
    for i, (op, av) in enumerate(items):
        rest = items[i + 1:]
        if op is sre.LITERAL:
            if _is_word_char(av):
                if not word and not guarded:
                    raise _Unsure   # a word without a word-start check can begin inside a word
                word += chr(av)
                continue
            if not word and not chr(av).isspace():
                ended.add(chr(av))   # a match that begins with a sign ("©", "$"): the sign is its first word
                return ended
            return _end(word, ended)
        if op is sre.IN:
            if not word and guarded and av == [(sre.CATEGORY, sre.CATEGORY_DIGIT)]:
                ended.add(DIGITS)   # \d after a word-start check: any word that begins with a digit
                return ended
            if len(av) <= SMALL_CLASS and all(o is sre.LITERAL for o, _ in av):
                for literal in av:   # [sd], [$£€]: each member in turn
                    _walk([literal] + rest, word, guarded, ended)
                return ended
            if _set_kind(av) == "word":
                raise _Unsure
            return _end(word, ended)
        if op is sre.AT:
            if not word:
                guarded = guarded or _guard(op, av)
                continue
            if av in (sre.AT_BOUNDARY, sre.AT_END, sre.AT_END_STRING):
                return _end(word, ended)
            raise _Unsure
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            if not word:
                guarded = guarded or _guard(op, av)
                continue
            direction, sub = av
            if op is sre.ASSERT_NOT and direction == 1 and _ends_word(list(sub)):
                return _end(word, ended)   # (?![\w-]): the word ends here
            continue   # any other check only narrows what matches
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unsure
            return _walk(list(sub) + rest, word, guarded, ended)
        if op is sre.BRANCH:
            for alternative in av[1]:
                _walk(list(alternative) + rest, word, guarded, ended)
                if len(ended) > WORD_LIMIT:
                    raise _Unsure
            return ended
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = av
            sub = list(sub)
            if not word and guarded and low >= 1 and sub == [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_DIGIT)])]:
                ended.add(DIGITS)   # \d+ after a word-start check
                return ended
            if high == 1:   # optional: with it and without it
                _walk(sub + rest, word, guarded, ended)
                if low == 0:
                    _walk(rest, word, guarded, ended)
                return ended
            if not word or _can_hold_word_char(sub):
                raise _Unsure
            if low == 0:   # \s* after a word: it may be absent
                _walk(rest, word, guarded, ended)
            return _end(word, ended)   # \s+ or [\s-]+ after a word ends it
        raise _Unsure   # ., \d, a back-reference, a conditional ...
    if word:
        raise _Unsure   # the pattern ends inside a word: the text's word may go on
    raise _Unsure   # an alternative that can match nothing


def _end(word: str, ended: set[str]) -> set[str]:
    if not word:
        raise _Unsure   # a match that begins with punctuation or a space
    ended.add(word)
    return ended


def _ends_word(sub: list) -> bool:
    return len(sub) == 1 and sub[0][0] is sre.IN and _holds_word_category(*sub[0])


def _can_hold_word_char(sub: list) -> bool:
    for op, av in sub:
        if op is sre.LITERAL and not _is_word_char(av):
            continue
        if op is sre.IN and _set_kind(av) == "other":
            continue
        return True
    return False
