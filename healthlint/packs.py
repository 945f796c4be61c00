"""The rule kinds a YAML spec can name without code: existence, substitution and
requirement (healthlint/specs.py loads the specs). Kind-specific keys are documented on
each class. Packs are data: they are loaded with a safe YAML loader and can never run code.
"""
from __future__ import annotations

import bisect
import re
from functools import cached_property, wraps

from healthlint.analysis.claims import shown_by_cited_trial
from healthlint.analysis.text import is_defined, is_negated
from healthlint.analysis.zones import DEFAULT_ZONES, zones_of
from healthlint.matching import Matcher, PatternTimeout, alternation, named_group, pattern_budget
from healthlint.model import CheckError, Finding, Rule, Severity

# what a rule reads unless its spec says otherwise: the article's own prose, its tables too
ARTICLE_ZONES = DEFAULT_ZONES | {"table"}
COMMON_OPTIONS = {"skip-quoted": True, "skip-blockquotes": True, "skip-negated": True, "skip-questions": True}

def _normalize(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.lower().replace("’", "'")).strip()


def _reporting_timeouts(check):
    """check(), with a user pattern stopped by its time limit reported as a CheckError: the
    engine then says the file was not fully checked (HL002) and goes on."""
    @wraps(check)
    def checked(self, doc, options):
        try:
            with pattern_budget():   # one budget per rule and file, however many searches it makes
                yield from check(self, doc, options)
        except PatternTimeout as exc:
            raise CheckError(str(exc)) from None
    return checked


class TextRule(Rule):
    """Shared behaviour of the phrase kinds: which matches make no claim."""
    exceptions: Matcher

    def silenced(self, doc, start: int, end: int, options: dict) -> bool:
        block = doc.block_at(start)
        if block is None:
            return True
        if options.get("skip-quoted", True) and doc.in_quotes(start, end):
            return True
        if options.get("skip-blockquotes", True) and block.in_blockquote:
            return True
        if not zones_of(doc).in_zones(start, end, self.readable_zones(options)) or (
                doc.citations.is_reference(block) and not block.in_footnote):   # footnotes: skip-footnotes
            return True  # boilerplate, a reference list, a dateline, or someone else's words
        if options.get("skip-footnotes", False) and block.in_footnote:
            return True  # reference lists quote other people's titles
        sentence_start, sentence_end = doc.sentence_at(start)
        if options.get("skip-questions", True) and doc.is_question(sentence_start, sentence_end):
            return True  # "Is turmeric a miracle cure?" asks; it does not claim
        if options.get("skip-negated", True) and is_negated(doc.prose, sentence_start, start):
            return True
        spans = self._exception_spans(doc, sentence_start, sentence_end)
        i = bisect.bisect_right(spans, (start, len(doc.prose))) - 1   # the last exception starting at or before
        return i >= 0 and end <= spans[i][1]

    def readable_zones(self, options: dict) -> frozenset[str]:
        zones = self.zones if self.zones is not None else ARTICLE_ZONES
        if not options.get("skip-quoted", True):
            zones = zones | {"quotation"}
        if not options.get("skip-blockquotes", True):
            zones = zones | {"blockquote"}
        return zones

    def _exception_spans(self, doc, sentence_start: int, sentence_end: int) -> list[tuple[int, int]]:
        """The exceptions' matches in one sentence, found once per sentence (in order, never
        overlapping), so a sentence with thousands of cues is not searched once per cue."""
        found = doc.shared(("exception spans", id(self)), dict)
        spans = found.get(sentence_start)
        if spans is None:
            spans = found[sentence_start] = [m.span() for m in self.exceptions.finditer(doc.prose, sentence_start,
                                                                                       sentence_end)]
        return spans


class ExistenceRule(TextRule):
    """`cues`: a list of {phrases, patterns, message, suggestion, unless-cited-trial}; every
    match is a finding with its cue's message ({match} is the matched text), except, for a cue
    with `unless-cited-trial: true`, where claims.shown_by_cited_trial holds. `exceptions`:
    phrases or patterns that contain a cue but make no claim ("cure rate")."""

    def __init__(self, cues: list[dict], exceptions: Matcher, **kw):
        super().__init__(**kw)
        self.cues = cues
        self.exceptions = exceptions

    @cached_property
    def cue_of(self) -> dict[str, int]:
        """Each phrase, normalised, -> the index of its cue."""
        cue_of: dict[str, int] = {}
        for i, cue in enumerate(self.cues):
            for phrase in cue["phrases"]:
                cue_of.setdefault(_normalize(phrase), i)
        return cue_of

    @cached_property
    def matcher(self) -> Matcher:
        """Every cue's phrases in one trie (one pass over the prose, not one try per cue): the
        matched text, normalised, says which cue it belongs to; patterns keep a group each."""
        phrases = Matcher(list(self.cue_of)).pattern
        groups = [named_group("phrase", phrases)] if phrases else []
        groups += [named_group(f"c{i}", Matcher(patterns=c["patterns"]).pattern)
                   for i, c in enumerate(self.cues) if c["patterns"]]
        return Matcher(patterns=[alternation(groups)], limited=any(c["matcher"].limited for c in self.cues))

    @_reporting_timeouts
    def check(self, doc, options):
        for m in self.matcher.finditer(doc.prose):
            start, end = m.span()
            if start == end or self.silenced(doc, start, end, options):
                continue   # an empty match (a pattern such as \b) is about no words
            text = " ".join(m.group(0).split())
            cue = self.cues[self.cue_of[_normalize(text)] if m.lastgroup == "phrase" else int(m.lastgroup[1:])]
            if cue.get("unless-cited-trial") and shown_by_cited_trial(doc, start):
                continue
            suggestion = cue.get("suggestion")
            yield Finding(start, end, cue["message"].format(match=text, suggestion=suggestion or ""), suggestion)


class SubstitutionRule(TextRule):
    """`swap`: a mapping of phrase -> suggested wording; `message` may use {match}
    and {suggestion}. The suggestion fills the finding's `suggestion`.

    Options a pack may declare (off unless it does):
    `skip-defined`: a term explained in its own sentence ("hypertension (high blood
    pressure)", "called hypertension"; see text.is_defined) is silent there and after.
    `first-use-only`: report each term once, at its first use.
    `audience`: patient (the rule's severity) | general (info) | professional (off)."""

    def __init__(self, swap: dict[str, str], message: str, exceptions: Matcher, **kw):
        super().__init__(**kw)
        self.swap = {_normalize(k): v for k, v in swap.items()}
        self.message = message
        self.exceptions = exceptions
        self.matcher = Matcher(swap)
        if "audience" in self.options:
            self.option_choices.setdefault("audience", ("patient", "general", "professional"))

    @_reporting_timeouts
    def check(self, doc, options):
        if options.get("audience") == "professional":
            return
        defined: set[str] = set()
        reported: set[str] = set()
        for m in self.matcher.finditer(doc.prose):
            start, end = m.span()
            if start == end or self.silenced(doc, start, end, options):
                continue
            text = " ".join(m.group(0).split())
            key = _normalize(text)
            suggestion = self.swap.get(key)
            if suggestion is None or key in defined or key in reported:
                continue
            if options.get("skip-defined") and is_defined(doc.prose, doc.sentence_at(start), start, end, suggestion):
                defined.add(key)
                continue
            if options.get("first-use-only"):
                reported.add(key)
            if text[:1].isupper() and suggestion[:1].islower() and doc.sentence_at(start)[0] == start:
                suggestion = suggestion[:1].upper() + suggestion[1:]   # only a sentence's first word
            # for a general audience jargon is worth a note, not a warning
            severity = Severity.INFO if options.get("audience") == "general" else None
            yield Finding(start, end, self.message.format(match=text, suggestion=suggestion), suggestion,
                          severity=severity)


class RequirementRule(TextRule):
    """`if` and `then`: each {phrases, patterns}. When the document matches `if` but
    nothing in it matches `then`, one finding is anchored on the first `if` match."""

    def __init__(self, when: Matcher, then: Matcher, message: str, exceptions: Matcher, **kw):
        super().__init__(**kw)
        self.when, self.then, self.message, self.exceptions = when, then, message, exceptions

    def _first(self, matcher, doc, options):
        for m in matcher.finditer(doc.prose):
            if m.start() < m.end() and not self.silenced(doc, m.start(), m.end(), options):
                return m
        return None

    @_reporting_timeouts
    def check(self, doc, options):
        first = self._first(self.when, doc, options)
        if first is None or self._first(self.then, doc, options) is not None:
            return
        text = " ".join(first.group(0).split())
        yield Finding(first.start(), first.end(), self.message.format(match=text, suggestion=""), None)
