"""Shared text analysis, computed once per document and asked for by rules: sentences,
quotations, negation and citations here; the treatment an article discusses, who wrote it
and when, and reading scores in the modules beside this one.

`parse()` reads an article into an `Article`: the parsed `Document` (healthlint/document.py,
which knows Markdown and positions but nothing about language) plus these analyses.
"""
from __future__ import annotations

import bisect
from functools import cached_property

from healthlint.analysis import text
from healthlint.document import Document, parse_into

QUESTION_CLOSERS = frozenset("\"'”’)] ")  # may follow the ? of a question


class Article(Document):
    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for block in self.blocks:
            spans.extend(text.split_sentences(self.prose, block.start, block.end))
        return spans

    def is_negated(self, offset: int) -> bool:
        """Whether the words at `offset` are negated in their sentence ("there is no cure")."""
        return text.is_negated(self.prose, self.sentence_at(offset)[0], offset)

    def unnegated(self, matcher, start: int = 0, end: int | None = None):
        """Matches of a packs.Matcher in prose[start:end] that are not negated."""
        return (m for m in matcher.finditer(self.prose, start, end) if not self.is_negated(m.start()))

    def is_question(self, start: int, end: int) -> bool:
        """Whether the sentence prose[start:end] asks rather than asserts."""
        prose = self.prose
        while end > start and prose[end - 1] in QUESTION_CLOSERS:
            end -= 1
        return end > start and prose[end - 1] == "?"

    def sentence_at(self, offset: int) -> tuple[int, int]:
        sentences = self.sentences
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and sentences[i][0] <= offset < sentences[i][1]:
            return sentences[i]
        block = self.block_at(offset)
        return (block.start, block.end) if block else (offset, offset)

    def previous_sentence_start(self, start: int) -> int:
        """Where the sentence before the one that starts at `start` begins, when both are in one
        block; else `start` (a sentence that reads "it" leans on the one before it)."""
        i = bisect.bisect_left(self._sentence_starts, start) - 1
        if i < 0:
            return start
        before = self.sentences[i][0]
        return before if self.block_at(before) is self.block_at(start) else start

    @cached_property
    def quoted_spans(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for block in self.blocks:
            spans.extend(text.quoted_spans(self.prose, block.start, block.end))
        return spans

    @cached_property
    def _quote_starts(self) -> list[int]:
        return [s for s, _ in self.quoted_spans]

    def in_quotes(self, start: int, end: int) -> bool:
        """True when [start, end) sits inside quotation marks (spans are in order and never overlap)."""
        i = bisect.bisect_right(self._quote_starts, start) - 1
        return i >= 0 and end <= self.quoted_spans[i][1]

    def quoted_share(self, start: int, end: int) -> float:
        """The share of the characters of prose[start:end] inside quotation marks."""
        spans, inside = self.quoted_spans, 0
        i = max(0, bisect.bisect_right(self._quote_starts, start) - 1)
        while i < len(spans) and spans[i][0] < end:
            inside += max(0, min(spans[i][1], end) - max(spans[i][0], start))
            i += 1
        return inside / (end - start) if end > start else 0.0

    @cached_property
    def citations(self):
        """Where the article cites its sources (see healthlint.analysis.citations)."""
        from healthlint.analysis.citations import Citations
        return Citations(self)


def parse(path: str, source: str) -> Article:
    return parse_into(Article(path, source))
