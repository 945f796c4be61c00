"""Matcher: phrases and patterns compiled into one regex and run case-insensitively."""
from __future__ import annotations

import bisect
import contextlib
import contextvars
import itertools
import re
import time
from functools import cached_property
from re import _parser
from typing import Iterable

from healthlint.matching.anchors import DIGITS, WORD_LIMIT, first_words
from healthlint.matching.patterns import alternation, top_level
from healthlint.matching.phrases import phrase_trie

PATTERN_TIMEOUT = 2.0   # seconds a rule's limited patterns may take on one text, all searches together
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("pattern deadline", default=None)


class PatternTimeout(Exception):
    """A limited pattern ran longer than PATTERN_TIMEOUT on one text."""


@contextlib.contextmanager
def pattern_budget(seconds: float = PATTERN_TIMEOUT):
    """Within it, every search of a limited pattern shares one budget of `seconds`: a rule that
    searches each of 70 sentences cannot take 70 times the limit."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


class LimitedPattern:
    """A regex matched by the `regex` module under a time limit, for patterns from users. Python's
    re cannot be interrupted, and no check finds every pattern that backtracks catastrophically
    ((a|aa)+$) or quadratically (.*x on a long line); a time limit covers them all at no cost to
    well-behaved patterns. Over the limit, iterating raises PatternTimeout."""

    def __init__(self, pattern: str):
        import regex  # imported on first use: most runs have no user patterns, and it costs start-up time
        self.compiled = regex.compile(pattern, regex.I)

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        deadline = _deadline.get()
        timeout = PATTERN_TIMEOUT if deadline is None else deadline - time.monotonic()
        try:
            if timeout <= 0:
                raise TimeoutError
            yield from self.compiled.finditer(text, start, len(text) if end is None else end, timeout=timeout)
        except TimeoutError:
            raise PatternTimeout(f"its patterns were stopped after {PATTERN_TIMEOUT:g} s; rewrite patterns "
                                 "that can backtrack catastrophically, such as (a+)+ or (a|aa)*") from None


def compile_pattern(pattern: str, limited: bool):
    """`pattern` compiled case-insensitively: by re, or as a LimitedPattern when `limited`."""
    return LimitedPattern(pattern) if limited else re.compile(pattern, re.I)


class Matcher:
    """Phrases (see phrase_pattern) and regex patterns, found case-insensitively in one pass.

    What finditer() finds, left to right without overlaps: at the first position where any
    entry matches, the longest phrase that matches there or, when no phrase does, the first
    pattern in list order that matches there (as re's alternation would); the next search
    starts where that match ends. search() and match() give the first such match.

    Built-in patterns run case-sensitively on the lowercased text, with their letters
    lowercased: re cannot skip ahead to a possible first character under IGNORECASE, and this
    runs about twice as fast. On a long text, a Matcher tries the alternatives that begin with
    known words (see anchors.first_words) only where those words are, when they are few, and
    scans for the others; one whose patterns keep some letters' case does the same on the text as
    written (see _run_keeping_case).
    Matches still report the original text and its offsets. Case is
    therefore as str.lower() sees it: the few letters that re.IGNORECASE also folds but lower()
    keeps apart (ſ and s, ς and σ, µ and μ, ı and i) do not match each other. A limited Matcher
    (patterns from a user's pack) runs under a time limit instead, and has only finditer(): see
    LimitedPattern."""

    def __init__(self, phrases: Iterable[str] = (), patterns: Iterable[str] = (), limited: bool = False):
        self.phrases, self.patterns = list(phrases), list(patterns)
        self.limited = limited and bool(self.patterns)  # phrases alone compile to a trie that cannot backtrack

    @property
    def empty(self) -> bool:
        return not self.phrases and not self.patterns

    @cached_property
    def pattern(self) -> str | None:   # built on first use: start-up builds only what a run needs
        alternatives = phrase_trie(self.phrases) + self.patterns
        return alternation(alternatives) if alternatives else None

    @cached_property
    def regex(self):  # compiled on first use: a run compiles only what it needs
        return compile_pattern(self.pattern, self.limited) if self.pattern else None

    @cached_property
    def _lowercase_regex(self):
        pattern = None if self.limited or not self.pattern else lowercase_pattern(self.pattern)
        return re.compile(pattern) if pattern else None

    @cached_property
    def _anchors(self) -> tuple[frozenset[str], re.Pattern | None] | None:
        """(the words that the matches of most alternatives begin with, a regex of the other
        alternatives, searched for every place where one matches, or None when there are none), or
        None when no alternative has such words. Where a match can begin is then a place of those
        words or a place where the others match: scanning for a few odd patterns ("\\b\\w*toxicity",
        a percentage) costs far less than scanning for them and hundreds of phrases. Patterns
        that keep some letters' case ((?-i:[A-Z])) are read with their letters lowercased, and only
        words of ASCII letters count (see _run_keeping_case)."""
        if self.limited or not self.pattern:
            return None
        pattern, flags = (self._lowercase_regex.pattern, 0) if self._lowercase_regex else (self.pattern, re.I)
        if _parser.parse(pattern).getwidth()[0] == 0:
            return None   # an empty match at a place would hide a longer one that re finds there
        alternatives = top_level(pattern)   # neighbours behind one word-start check stay one alternative
        words, others = set(), []
        for alternative in alternatives:
            found = first_words(_KEEP_CASE_RE.sub(_lower_letters, alternative) if flags else alternative)
            if found is None or (flags and not all(w.isascii() for w in found)):
                others.append(alternative)
            else:
                words |= found
        if not words or len(words) > WORD_LIMIT:
            return None
        scan = None
        if others:
            if any(REFERENCE_RE.search(a) for a in others):
                return None   # a back-reference counts groups of the whole pattern
            try:
                scan = re.compile("|".join(f"(?:{a})" for a in others), flags)
            except re.error:
                return None
        words = frozenset(words)
        _wanted.add(words)
        return words, scan

    def _run(self, method: str, text: str, start: int, end: int | None):
        end = len(text) if end is None else end
        if self._lowercase_regex is None:
            return self._run_keeping_case(method, text, start, end)
        lowered = lowercased(text)
        if lowered is None:
            return getattr(self.regex, method)(text, start, end)
        places = self._places(lowered, lowered, start, end) if method != "match" and end - start >= SMALL_TEXT else None
        if places is not None:
            found = self._at_places(self._lowercase_regex, lowered, places, end)   # what finditer finds, sooner
            if method == "search":
                found = next(found, None)
        else:
            found = getattr(self._lowercase_regex, method)(lowered, start, end)
        if method == "finditer":
            return (OriginalCaseMatch(m, text) for m in found)
        return found and OriginalCaseMatch(found, text)

    def _run_keeping_case(self, method: str, text: str, start: int, end: int):
        """_run for a Matcher whose patterns keep some letters' case: re.IGNORECASE on the text as
        written, on a long text only at the places of its first words, looked up in the lowercased
        text. For words of ASCII letters lower() and re.IGNORECASE agree, but a text with a dotless
        ı or a long ſ (which IGNORECASE folds to i and s), or one that lower() lengthens, is
        searched whole."""
        if self.regex is None:
            return None
        places = None
        if method != "match" and end - start >= SMALL_TEXT and self._anchors is not None:
            lowered = lowercased(text)
            if lowered is not None and not FOLDED_APART_RE.search(text, start, end):
                places = self._places(lowered, text, start, end)
        if places is None:
            return getattr(self.regex, method)(text, start, end)
        found = self._at_places(self.regex, text, places, end)
        return next(found, None) if method == "search" else found

    def _places(self, lowered: str, text: str, start: int, end: int) -> list[int] | None:
        """Where in lowered[start:end] a match can begin, in order, when those places are few enough
        that trying each beats scanning every character; else None. `text` is what the regex runs
        on: `lowered`, or the text as written (see _run_keeping_case)."""
        anchors = self._anchors
        if anchors is None:
            return None
        words, scan = anchors
        index = word_places(lowered)
        if not words <= index.indexed:
            return None   # a Matcher new to this run: its words are indexed from the next text on
        places = index.of(words)
        first, last = bisect.bisect_left(places, start), bisect.bisect_left(places, end)
        if (last - first) * PLACE_COST > end - start:
            return None
        if scan is None:
            return places[first:last]
        others, at = [], start
        while (m := scan.search(text, at, end)) is not None:   # every place, also inside another match:
            others.append(m.start())                            # quicker than finditer of a lookahead,
            at = m.start() + 1                                   # which hides the first characters from re
        return sorted(places[first:last] + others) if others else places[first:last]

    @staticmethod
    def _at_places(regex: re.Pattern, text: str, places: list[int], end: int):
        """The regex's matches, tried only at `places`: every match begins at one of them, so the
        first place that matches, after the last match, is where finditer's next match is."""
        match = regex.match
        at = 0
        for i in places:
            if i >= at:
                m = match(text, i, end)
                if m:
                    yield m
                    at = max(m.end(), i + 1)

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        return self._run("finditer", text, start, end) or iter(())

    def search(self, text: str, start: int = 0, end: int | None = None):
        return self._run("search", text, start, end)

    def match(self, text: str, start: int = 0, end: int | None = None):
        return self._run("match", text, start, end)


WORD_START_RE = re.compile(r"\w")
REFERENCE_RE = re.compile(r"\\\d|\(\?P=|\(\?\(")   # a back-reference or a conditional: \1, (?P=name), (?(1)...)


class _WantedWords:
    """The first words of every Matcher used so far: only they are worth indexing (about two
    words in five of an article)."""

    def __init__(self) -> None:
        self.words: frozenset[str] = frozenset()
        self.splitter = None

    def add(self, words: frozenset[str]) -> None:
        if not words <= self.words:
            self.words = self.words | words
            self.splitter = None

    def finder(self):
        """(the words, a regex whose split() gives the text's words and wanted signs between the
        rest): splitting and looking words up in a set is quicker than a regex of the words."""
        words, splitter = self.words, self.splitter
        if splitter is None:
            signs = "".join(re.escape(w) for w in sorted(words - {DIGITS}) if not WORD_START_RE.match(w))
            splitter = self.splitter = re.compile(r"(\w+" + (f"|[{signs}]" if signs else "") + ")")
        return words, splitter


_wanted = _WantedWords()
_recent_places: tuple = ()   # ((lowercased text, its WordPlaces), ...), the most recently used first


class WordPlaces:
    """Where each wanted word (see _WantedWords) of a lowercased text begins."""

    def __init__(self, lowered: str):
        self.indexed, splitter = _wanted.finder()
        parts = splitter.split(lowered)   # text before the first token, a token, text before the next, ...
        ends = list(itertools.accumulate(map(len, parts)))
        self.words: dict[str, list[int]] = {}
        digits: list[int] = []
        wanted = self.indexed
        for token, start in zip(parts[1::2], ends[::2]):
            if token in wanted:
                self.words.setdefault(token, []).append(start)
            if token[0].isdecimal():
                digits.append(start)
        if digits:
            self.words[DIGITS] = digits
        self._merged: dict[frozenset, list[int]] = {}

    def of(self, words: frozenset[str]) -> list[int]:
        """Where any of `words` begins, in order (worked out once per set of words)."""
        merged = self._merged.get(words)
        if merged is None:
            lists = [self.words[w] for w in words if w in self.words] if len(words) < len(self.words) else \
                [self.words[w] for w in words & self.words.keys()]
            merged = self._merged[words] = sorted(itertools.chain.from_iterable(lists))
        return merged


def word_places(lowered: str) -> WordPlaces:
    """The WordPlaces of `lowered`, kept for the last few texts."""
    global _recent_places
    recent = _recent_places
    for kept, places in recent:
        if kept is lowered:
            return places
    places = WordPlaces(lowered)
    _recent_places = ((lowered, places), *recent[:3])
    return places


def lowercase_pattern(pattern: str) -> str | None:
    """`pattern` with its letters lowercased, escapes (\\W, \\S, \\N{...}) and group names
    kept; None when the pattern turns case-insensitivity off somewhere ((?-i:...))."""
    if "(?-" in pattern:
        return None
    return _KEEP_CASE_RE.sub(_lower_letters, pattern)


_KEEP_CASE_RE = re.compile(r"(\\N\{[^}]*\}|\\.|\(\?P[<=][^>)]*[>)])|[^\\(]+|\(")
FOLDED_APART_RE = re.compile("[ıſ]")   # letters re.IGNORECASE matches to i and s, but lower() keeps


def _lower_letters(m: re.Match) -> str:
    return m.group(1) or m.group(0).lower()


PLACE_COST = 20    # characters scanned in the time it takes to try a pattern at one place
SMALL_TEXT = 256   # shorter texts (a few words before a cue) are lowercased on each call
_recent_lowercased: tuple = ()   # ((text, its lowercase), ...), the most recently used first


def lowercased(text: str) -> str | None:
    """text.lower(), or None when lowercasing would move offsets (a few letters, such as İ,
    lowercase to two characters). Rules ask for the same prose many times, mixed with pieces
    of it: a few texts are kept, most recently used first, so a piece never evicts the prose
    (which would make the next call lowercase all of it again)."""
    global _recent_lowercased
    if len(text) < SMALL_TEXT:
        lower = text.lower()
        return lower if len(lower) == len(text) else None
    recent = _recent_lowercased   # one read of an immutable tuple: safe when rules run in threads
    if recent and recent[0][0] is text:
        return recent[0][1]
    for i, (kept, lower) in enumerate(recent):
        if kept is text:
            _recent_lowercased = (recent[i], *recent[:i], *recent[i + 1:])
            return lower
    lower = text.lower()
    lower = lower if len(lower) == len(text) else None
    _recent_lowercased = ((text, lower), *recent[:3])
    return lower


class OriginalCaseMatch:
    """A match found in lowercased text that reports the text as written."""
    __slots__ = ("_match", "string")

    def __init__(self, match: re.Match, string: str):
        self._match, self.string = match, string

    def group(self, group=0):
        start, end = self._match.span(group)
        return None if start < 0 else self.string[start:end]

    def __getattr__(self, name):   # start, end, span, lastgroup, ...
        return getattr(self._match, name)
