"""Plain text: where its paragraphs and heading lines are.

A plain-text paragraph runs from a non-blank line to the next blank (or all-space) line. A
heading is a line of its own: a short line (PLAIN_HEADING_MAX_WORDS words at most, starting
with a capital or a digit, no final . ! ? : , or ;) that stands alone between blank lines, or a
title-like line (every word but the small ones capitalised) at a sentence boundary inside a
paragraph: "The Rise of Ketamine" then "Ketamine was first ..." on the next line is a heading and a paragraph, not one
sentence. Plain-text headings have heading_level 0: their level is unknown.
"""
from __future__ import annotations

import re

PLAIN_HEADING_MAX_WORDS = 12
PLAIN_SMALL_WORDS = frozenset("a an and as at but by en for from in into nor of on or over per than the to "
                              "up via vs vs. with".split())
_PLAIN_WORD_RE = re.compile(r"[^\W_][\w'’&.-]*")
_LIST_MARKER_RE = re.compile(r"(?:\d{1,3}[.)]|\[\d{1,3}\]|\(\d{1,3}\)|[a-z][.)])\s")
_SENTENCE_CLOSE = ".!?:;\"'”’)]"


def _plain_heading_like(line: str) -> bool:
    """Whether a line (stripped) can be a plain-text heading on its own."""
    if not line or len(line) > 200 or line[-1] in ".!?:,;" or not (line[0].isupper() or line[0].isdigit()):
        return False
    if _LIST_MARKER_RE.match(line) or "://" in line or "www." in line.lower() or "@" in line:
        return False
    words = _PLAIN_WORD_RE.findall(line)
    return 0 < len(words) <= PLAIN_HEADING_MAX_WORDS and any(ch.isalpha() for ch in line)


def _plain_title_like(line: str) -> bool:
    """Title case: every word but the small ones (of, for, the, ...) starts with a capital or a
    digit, and the line does not end with a small word."""
    words = _PLAIN_WORD_RE.findall(line)
    if not words or words[-1].lower() in PLAIN_SMALL_WORDS:
        return False
    return all(w[0].isupper() or w[0].isdigit() for w in words if w.lower() not in PLAIN_SMALL_WORDS)


def plain_blocks(text: str, offsets: list[int]):
    """(kind, text, offsets) of the blocks of one plain-text paragraph (directives already
    removed, lines still joined by newlines), each trimmed of surrounding spaces."""
    lines, at = [], 0
    for piece in text.split("\n"):
        lines.append((at, at + len(piece)))
        at += len(piece) + 1
    stripped = [text[s:e].strip() for s, e in lines]
    kinds = []
    for i, line in enumerate(stripped):
        if not _plain_heading_like(line):
            kinds.append("paragraph")
        elif len(lines) == 1:
            kinds.append("heading")
        else:
            after_break = i == 0 or kinds[i - 1] == "heading" or (stripped[i - 1] != ""
                                                                  and stripped[i - 1][-1] in _SENTENCE_CLOSE)
            following = stripped[i + 1] if i + 1 < len(lines) else ""
            before_start = i == len(lines) - 1 or (following != "" and (following[0].isupper()
                                                                          or following[0] in "\"“‘'"))
            title = after_break and before_start and _plain_title_like(line)
            kinds.append("heading" if title else "paragraph")
    i = 0
    while i < len(lines):
        j = i + 1
        if kinds[i] == "paragraph":
            while j < len(lines) and kinds[j] == "paragraph":
                j += 1
        start, end = lines[i][0], lines[j - 1][1]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield kinds[i], text[start:end].replace("\n", " "), offsets[start:end]
        i = j


