"""Readability: the whole document's reading grade (HL301), its hardest passages (HL302)
and long sentences (HL303), from the scores in healthlint.analysis.reading."""
from __future__ import annotations

import bisect
import itertools

from healthlint.analysis.reading import (
    GRADE_FORMULAS,
    TOKEN_RE,
    blocks_grade,
    blocks_word_count,
    grade_target,
    prose_blocks,
    scored_text,
    word_difficulty,
    words_in,
    words_read,
)
from healthlint.analysis.zones import DEFAULT_ZONES, zones_of
from healthlint.model import Finding, Rule

LONG_SENTENCE_ZONES = DEFAULT_ZONES | {"table", "blockquote"}
QUOTED_SHARE = 0.5   # a sentence mostly in quotation marks is the speaker's


def _grade(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


class Readability(Rule):
    document_level = True

    def check(self, doc, options):
        target = grade_target(options)
        main = _formula(options)
        blocks = prose_blocks(doc)
        if target is None or blocks_word_count(doc, blocks) < options["min-words"]:
            return
        value = blocks_grade(doc, blocks, main)
        if value <= target:
            return   # the other formulas are only for the message
        others = ", ".join(f"{name} {blocks_grade(doc, blocks, k):.1f}" for k, name in GRADE_FORMULAS.items()
                           if k != main)
        yield Finding.about_document(f"reading grade {value:.1f} ({GRADE_FORMULAS[main]}; {others}) is above "
                                     f"the grade {_grade(target)} target for {options['audience']} readers; use "
                                     "shorter sentences and everyday words, starting with the passages marked "
                                     "hard-passage")


def _formula(options) -> str:
    if options["formula"] not in GRADE_FORMULAS:
        raise ValueError(f"formula must be one of {', '.join(GRADE_FORMULAS)}, not {options['formula']!r}")
    return options["formula"]


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
        formula = _formula(options)
        if target is None:
            return
        groups = passages(doc, options["min-words"], options["min-sentences"])
        scored = [(blocks_grade(doc, g, formula), g) for g in groups
                  if blocks_word_count(doc, g) >= options["min-words"]]
        hard = [item for item in scored if item[0] > target + options["margin"]]
        if not hard:
            return
        hard.sort(key=lambda item: -item[0])
        headings = frozenset(w.lower() for b in doc.blocks if b.kind == "heading"
                             for w in TOKEN_RE.findall(doc.prose[b.start:b.end]))
        for value, group in hard[:options["max-passages"]]:
            text = scored_text(doc, group)
            start, end = group[0].start, group[-1].end
            first = bisect.bisect_left(doc.sentences, (start, start))
            lengths = [words_read(doc, s, e) for s, e in itertools.takewhile(lambda se: se[0] < end, doc.sentences[first:])]
            why, advice = _why_hard(text, lengths, options, headings)
            yield Finding(start, end,
                          f"hard passage: grade {value:.1f} ({GRADE_FORMULAS[formula]}) against a target of "
                          f"{_grade(target)} for {options['audience']} readers: {why}; {advice}", None)


def _why_hard(text: str, lengths: list[int], options, headings: frozenset) -> tuple[str, str]:
    """What makes a passage hard (long sentences, long words, uncommon words, named, and
    figures), and what to do about it."""
    words, long_words, uncommon, figures = word_difficulty(text, headings)
    average, longest = sum(lengths) / max(1, len(lengths)), max(lengths, default=0)
    reasons, advice = [], []
    if average > options["average-words"] or longest > options["longest-words"]:
        reasons.append(f"long sentences (average {average:.0f} words, longest {longest})")
        advice.append("split long sentences")
    if long_words > options["long-words"] * words:
        reasons.append(f"long words ({100 * long_words / words:.0f}% have three syllables or more)")
    if uncommon:
        reasons.append("uncommon words such as " + ", ".join(f"“{w}”" for w in uncommon[:3]))
    if uncommon or long_words > options["long-words"] * words:
        advice.append("swap uncommon words for everyday ones or explain them")
    if figures >= options["figures"]:
        reasons.append(f"{figures} figures")
        advice.append("keep only the figures a reader needs")
    if not reasons:
        return (f"average sentence {average:.0f} words, longest {longest}",
                "split long sentences and swap uncommon words for everyday ones")
    return ", ".join(reasons), "; ".join(advice)


class LongSentence(Rule):
    def check(self, doc, options):
        limit = options["max-words"]
        zones = zones_of(doc)
        for start, end in doc.sentences:
            block = doc.block_at(start)
            if (block is None or block.kind == "heading" or block.in_footnote
                    or (options["skip-blockquotes"] and block.in_blockquote)
                    or zones.block_zone(block) not in LONG_SENTENCE_ZONES):
                continue   # legal text and reference entries are long by nature, and not the article
            if words_in(doc, start, end) <= limit:
                continue   # short: the count below is at most this (names and a dateline count less)
            if options["skip-quotations"] and doc.quoted_share(start, end) > QUOTED_SHARE:
                continue   # a speaker's words: the writer cannot split them
            start = next((e for s, e in zones.datelines if s <= start < e), start)   # "BOSTON (May 3) -" is not
            while start < end and doc.prose[start].isspace():                       # part of the sentence
                start += 1
            count = words_read(doc, start, end)
            if count > limit:
                yield Finding(start, end, f"sentence has {count} words (more than {limit}); split it "
                                          "or cut words a reader does not need", None)
