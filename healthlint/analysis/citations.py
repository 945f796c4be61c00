"""Where a document cites its sources: one place for every citation form.

Rules ask `doc.citations.cites(start, end)` ("does this prose span carry a source a
reader can check?"), `doc.citations.is_reference(block)` ("is this block part of a
references list or a footnote?") and `doc.citations.broken` (numbered references that
point to nothing). Citation forms understood:

- an inline link, autolink or bare URL (not a `#fragment`, `mailto:` or `tel:` link);
- a footnote reference `[^1]` with a matching definition;
- numbered references `[2]`, `[1-3]`, `(2)`, superscripts `¹²` and `<sup>2</sup>` that
  resolve to a numbered list under a heading such as "References" or "Sources";
- author-year citations "(Smith et al., 2021)", "Smith and Lee (2020)";
- a DOI, a PMID or a PMCID;
- an explicitly named source ("according to the CDC's 2024 report").

Cue lists live in rules/lexicons/citations.yml.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from healthlint.document import URL_RE, Block, Document
from healthlint.matching import Matcher
from healthlint.resources import load_lexicon

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS + "⁻", "0123456789-")
NUMBERS = r"\d{1,3}(?:\s*[-–,]\s*\d{1,3})*"
BRACKET_RE = re.compile(rf"\[({NUMBERS})\]")
PAREN_RE = re.compile(rf"\(({NUMBERS})\)")
# (after a character that is not a space, a digit or a superscript: checked after the first superscript,
# so that re skips ahead to one)
SUPERSCRIPT_RE = re.compile(rf"([{SUPERSCRIPT_DIGITS}](?<=[^\s\d{SUPERSCRIPT_DIGITS}][{SUPERSCRIPT_DIGITS}])"
                            rf"[{SUPERSCRIPT_DIGITS}]*(?:[,⁻\-–][{SUPERSCRIPT_DIGITS}]+)*)")
SUP_TAG_RE = re.compile(rf"<sup>\s*({NUMBERS})\s*</sup>", re.I)
FOOTNOTE_TEXT_RE = re.compile(r"\[\^([^\]\s]+)\]")
FOOTNOTE_DEF_RE = re.compile(r"^[ \t]{0,3}\[\^([^\]\s]+)\]:", re.M)
# under a References heading an entry may also open with a bare number ("2 Barnes DE, Yaffe K (2011) ...")
LIST_ITEM_RE = re.compile(rf"^[ \t]{{0,3}}(?:[-*+][ \t]+)?(?:\[(\d{{1,3}})\]|(\d{{1,3}})[.)]|\((\d{{1,3}})\)|"
                          rf"([{SUPERSCRIPT_DIGITS}]+)|(\d{{1,3}})(?=[ \t]+[A-Z]))(?=[ \t])", re.M)
# a numbered label that opens a reference entry: "[3] Yokell MA, ...", "[12] Smith et al. (2019) ..."
ENTRY_LABEL_RE = re.compile(rf"\[({NUMBERS})\]\s+(?=[A-Z][\w'’-]+(?:,|\s+(?:et\s+al|[A-Z]{{1,3}}\b|and\s+[A-Z])))")
NOTE_LABEL_RE = re.compile(rf"\[({NUMBERS})\][ \t]+(?=\S)")
UNIT_BEFORE_RE = re.compile(r"(?:^|[^\w])\w{1,2}$")   # "m²", "cm³": units, not citations


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    data = load_lexicon("citations")
    body = "|".join(re.escape(b).replace(r"\ ", r"\s+") for b in sorted(data["source-bodies"], key=len, reverse=True))
    body = rf"\b(?:{body})\b"
    return {
        "headings": frozenset(data["reference-headings"]),
        "named": Matcher(patterns=[p.replace("{body}", body) for p in data["named-source-patterns"]]),
        "author_year": Matcher(patterns=data["author-year-patterns"]),
        "ids": Matcher(patterns=[data["doi-pattern"], *data["pubmed-patterns"]]),
        "publication": Matcher(patterns=data["publication-patterns"]),
        "non_source": tuple(data["non-source-links"]),
    }


def parse_numbers(text: str) -> tuple[int, ...]:
    """ "1", "1, 3", "2-4", "¹⁻³" -> the reference numbers they name."""
    numbers: list[int] = []
    for part in re.split(r"\s*,\s*", text.translate(_FROM_SUPERSCRIPT)):
        bounds = [int(n) for n in re.split(r"\s*[-–]\s*", part) if n.isdigit()]
        if len(bounds) == 2 and 0 < bounds[1] - bounds[0] <= 50:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return tuple(numbers)


@dataclass(frozen=True)
class Marker:
    """A numbered or footnote reference written in the text."""
    start: int          # source offsets
    end: int
    text: str           # as written: "[4]", "²", "[^note]"
    style: str          # "bracket", "paren", "superscript", "footnote"
    resolved: bool
    suspicious: bool    # unresolved and clearly meant as a reference


def is_heading_like(doc: Document, block: Block, words: frozenset) -> bool:
    """A heading, or a paragraph that is only a heading word ("References:" in plain text)."""
    if block.kind not in ("heading", "paragraph") or block.in_list or block.in_blockquote:
        return False
    return doc.text(block).strip().rstrip(":").strip().lower() in words


class Citations:
    def __init__(self, doc: Document):
        self.doc = doc
        lex = _lexicon()
        self._reference_blocks: set[int] = set()
        self.numbers: set[int] = set()          # numbers defined by reference lists
        self._entry_labels: set[int] = set()    # prose offsets of "[3]" that open a reference entry
        blocks = doc.blocks
        i = 0
        while i < len(blocks):
            if not is_heading_like(doc, blocks[i], lex["headings"]):
                i += 1
                continue
            j = i + 1
            while j < len(blocks) and blocks[j].kind != "heading":
                self._reference_blocks.add(blocks[j].start)
                if NOTE_LABEL_RE.match(doc.prose, blocks[j].start, blocks[j].end):
                    self._add_entries(blocks[j])
                j += 1
            start = doc.prose_map[blocks[i].end - 1] + 1
            end = doc.prose_map[blocks[j].start] if j < len(blocks) else len(doc.source)
            self.numbers |= self._list_numbers(doc.source[start:end])
            i = j
        for block in blocks:
            if block.in_footnote:
                self._reference_blocks.add(block.start)
        for block in blocks:   # "[3] Yokell et al. Presentation of ..." is an entry, even with no heading above
            if ENTRY_LABEL_RE.match(doc.prose, block.start, block.end):
                self._add_entries(block)
        self.footnote_labels = set(doc.footnote_labels) | set(FOOTNOTE_DEF_RE.findall(doc.source))
        # a reference list that the zones found but whose entries carry no numbers (run together on
        # one line, or unnumbered): a marker may point into it, so it is not reported as broken
        self._unnumbered_list = False
        if hasattr(doc, "sentences"):
            from healthlint.analysis.zones import zones_of
            zones = zones_of(doc)
            for block in blocks:
                zone = zones.block_zone(block)
                if zone == "references":
                    self._reference_blocks.add(block.start)
                # "[2] Grip strength is measured as ..." under "Notes to editors": a note that the text's [2] points to
                if zone in ("references", "boilerplate") and NOTE_LABEL_RE.match(doc.prose, block.start, block.end):
                    self._add_entries(block)
            self._unnumbered_list = not self.numbers and any(zones.block_zone(b) == "references" for b in blocks)
        self.markers = self._find_markers()

    def _add_entries(self, block: Block) -> None:
        """A block that opens with a numbered entry ("[1] Lee A. ..."): every "[n] " label in it is an
        entry, for a reference list may be run together on one line ("[1] Lee A. 2020. [2] Smith B. ...")."""
        self._reference_blocks.add(block.start)
        for m in NOTE_LABEL_RE.finditer(self.doc.prose, block.start, block.end):
            self._entry_labels.add(m.start())
            self.numbers.update(parse_numbers(m.group(1)))

    def _list_numbers(self, text: str) -> set[int]:
        found, ordered = set(), []
        for m in LIST_ITEM_RE.finditer(text):
            bracket, dotted, paren, sup, bare = m.groups()
            if dotted:
                ordered.append(int(dotted))
            found.update(parse_numbers(bracket or dotted or paren or sup or bare))
        if ordered:  # a Markdown ordered list shows its first number, then counts up ("1. 1. 1.")
            found.update(range(ordered[0], ordered[0] + len(ordered)))
        return found

    def is_reference(self, block: Block | None) -> bool:
        """True for blocks of a references list and footnote definitions."""
        return block is not None and block.start in self._reference_blocks

    # --- markers -------------------------------------------------------------
    def _find_markers(self) -> list[Marker]:
        doc, prose, markers = self.doc, self.doc.prose, []

        def in_text(regex):
            """(block, match) for each match inside one block that is not a reference list."""
            for m in regex.finditer(prose):
                block = doc.block_at(m.start())
                if (block is not None and m.end() <= block.end and not self.is_reference(block)
                        and m.start() not in self._entry_labels):
                    yield block, m

        for style, regex in (("bracket", BRACKET_RE), ("paren", PAREN_RE), ("superscript", SUPERSCRIPT_RE)):
            for block, m in in_text(regex):
                if style == "superscript" and UNIT_BEFORE_RE.search(prose[block.start:m.start()]):
                    continue
                numbers = parse_numbers(m.group(1))
                resolved = bool(numbers) and all(n in self.numbers for n in numbers)
                start, end = doc.to_source(m.start(), m.end())
                markers.append(Marker(start, end, m.group(0), style, resolved, True))
        for _, m in in_text(FOOTNOTE_TEXT_RE):
            start, end = doc.to_source(m.start(), m.end())
            markers.append(Marker(start, end, m.group(0), "footnote", m.group(1) in self.footnote_labels
                                  and not doc.is_markdown, True))
        if SUP_TAG_RE.search(doc.source):   # <sup>2</sup> is markup: it is looked for in the source
            for block in doc.blocks:
                if self.is_reference(block):
                    continue
                src_start, src_end = self.source_span(block.start, block.end)
                for m in SUP_TAG_RE.finditer(doc.source, src_start, src_end):
                    numbers = parse_numbers(m.group(1))
                    markers.append(Marker(m.start(), m.end(), m.group(0), "superscript",
                                          bool(numbers) and all(n in self.numbers for n in numbers), True))
        # a "(2)" is only taken for a reference when the document cites that way elsewhere
        paren_style = any(m.style == "paren" and m.resolved for m in markers)
        return sorted((m if m.style != "paren" or paren_style else replace(m, suspicious=False) for m in markers),
                      key=lambda m: m.start)

    @property
    def broken(self) -> list[Marker]:
        """References that resolve to nothing."""
        if self._unnumbered_list:
            return [m for m in self.markers if not m.resolved and m.suspicious and m.style == "footnote"]
        return [m for m in self.markers if not m.resolved and m.suspicious]

    # --- spans -----------------------------------------------------------------
    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source behind a prose span, widened to take in markup that follows it
        (a footnote reference or link after the full stop) up to the next prose text."""
        doc = self.doc
        src_start, src_end = doc.to_source(start, end)
        block = doc.block_at(max(start, end - 1))
        nxt = end
        while block is not None and nxt < block.end and doc.prose[nxt].isspace():
            nxt += 1
        if block is not None and nxt < block.end:
            return src_start, max(src_end, doc.prose_map[nxt])
        line_end = doc.source.find("\n", src_end)
        return src_start, len(doc.source) if line_end == -1 else line_end

    @cached_property
    def _cited_offsets(self) -> list[int]:
        """Sorted source offsets that carry a citation: links to a source, footnote references
        that resolve, and resolved numbered markers (found once, then looked up by bisection)."""
        doc, lex = self.doc, _lexicon()
        offsets = [link.source_offset for link in doc.links
                   if link.href and not link.href.startswith(lex["non_source"])]
        offsets += [ref.source_offset for ref in doc.footnote_refs if ref.label in self.footnote_labels]
        offsets += [m.start for m in self.markers if m.resolved]
        return sorted(offsets)

    @cached_property
    def names_publication(self) -> bool:
        """Whether the article says where the study it reports on was published or presented
        (a journal, a meeting, a DOI or PubMed id): that study's own findings then have a source."""
        lex = _lexicon()
        return bool(lex["publication"].search(self.doc.prose) or lex["ids"].search(self.doc.source))

    def names_publication_in(self, start: int, end: int) -> bool:
        """Whether the prose span itself says where its research was published or presented
        ("according to research presented at the ATS 2016 International Conference")."""
        return bool(_lexicon()["publication"].search(self.doc.prose, start, end))

    def cites(self, start: int, end: int) -> bool:
        """True when the prose span [start, end) carries a citation."""
        doc, lex = self.doc, _lexicon()
        src_start, src_end = self.source_span(start, end)
        offsets = self._cited_offsets
        i = bisect.bisect_left(offsets, src_start)
        if i < len(offsets) and offsets[i] < src_end:
            return True
        source = doc.source[src_start:src_end]
        if URL_RE.search(source) or lex["ids"].search(source):
            return True
        return any(lex[k].search(doc.prose, start, end) for k in ("author_year", "named"))
