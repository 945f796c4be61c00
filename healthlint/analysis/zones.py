"""Document zones: which part of an article each block and span of prose is, read as an editor
reads a press release or an article. Rules judge the article's own prose (DEFAULT_ZONES) unless
their spec names other zones.

    zones = zones_of(doc)                 # computed once per document (Document.shared)
    zones.block_zone(block)               # the zone of a whole block
    zones.zone_at(offset)                 # the zone of one prose offset (spans override blocks)
    zones.in_zones(start, end, allowed)   # every character of [start, end) in `allowed`
    zones.spans("quotation")              # the prose spans of one zone, in order
    dateline_span(doc)                    # the first dateline, or None
    name_spans(doc)                       # names of organisations, departments, funders, studies
    in_name(doc, start, end)              # [start, end) lies inside one name

Block zones (one per block):
- `title`: the first heading when it is a Markdown H1 or comes before any content; only one.
- `heading`: the other headings (Markdown, or plain-text headings: see healthlint/document.py).
- `byline`: a short block "By Dr Jane Smith", "Written by ...", "Reviewed by ...".
- `dateline`: a short block "For Immediate Release: March 3, 2021", "Published 3 May 2024",
  "March 3, 2021 | by ...". A dateline that opens the first body paragraph ("SACRAMENTO, Calif.
  (Aug. 22, 2017) -", "BOSTON — March 3, 2021 —", "(Reuters Health) -", "Newswise —") is a
  `dateline` span; the rest of that paragraph is body.
- `body`, `list` (list items), `table` (cells), `blockquote` (> quotes).
- `caption`: a short block right after an image, or one that starts "Photo:", "Figure 1.", ...
- `references`: the blocks under a heading (or a line) "References", "Sources", "Bibliography",
  ..., footnote definitions, and blocks that look like numbered entries ("[3] Yokell et al. ...",
  "1. Smith J, ... 2019;12:34").
- `boilerplate`: an "About X" section that describes an institution (a heading, a short line,
  or a paragraph "About <Name>" going on with institution text: "About Cascade University",
  "About Nordvik" followed by "Nordvik is a company founded in ..."), an end mark ("###",
  "-30-", "# # #", "ENDS") and everything after it, contact blocks ("Media contact:", "For
  more information", the names and telephone lines after them), copyright and social lines,
  notes to editors, author lists, legal sections ("Forward-Looking Statements"), and
  paragraphs made only of funding, disclosure or legal sentences. A section opened by a
  Markdown heading runs to the next heading of the same or a higher level ("## About us" stays
  boilerplate through its "### Contact"); one opened by a line or a plain-text heading (which
  has no level) runs to the next heading. "About the Study", "About Esketamine" or "About
  Major Depressive Disorder" are the article's own text: the study, a product, a disease.

Span zones (they override the zone of their block):
- `quotation`: quoted text (straight and curly quotes, Article.quoted_spans), a paragraph that
  opens a quotation it does not close (a quote running over several paragraphs), and sentences
  of attributed speech: `"...," said Dr. Ruiz`, `said Dr. Ruiz, "..."`, `Ruiz said: "..."`,
  `..., Ruiz said.`, `Dr. Ruiz said the ...`, `According to Smith, ...`. Only in the article's
  own prose (title, heading, body, list, caption): a quoted title in a reference list stays
  `references`.
- `boilerplate`: a funding, disclosure or legal sentence inside a body paragraph ("The study was
  funded by NIH grant R01 ...").
- `dateline`: the dateline that opens the first body paragraph.

Names (not a zone: a name can stand in any zone): see analysis/names.py. Quotations and
attributed speech are found in analysis/speech.py.

Cue lists live in rules/lexicons/zones.yml (compiled in analysis/zone_cues.py). Everything is
linear in the size of the document: one pass over the blocks, regex passes over the prose,
lookups by bisection.
"""
from __future__ import annotations

import bisect
import re

from healthlint.analysis import text as textlib
from healthlint.analysis.datelines import is_dateline_block, opening_dateline
from healthlint.analysis.names import in_name, name_spans
from healthlint.analysis.speech import quotation_spans
from healthlint.analysis.zone_cues import heading_key, word_set, zone_cues

__all__ = ["ZONES", "DEFAULT_ZONES", "Zones", "zones_of", "dateline_span", "name_spans", "in_name"]

ZONES = ("title", "heading", "byline", "dateline", "body", "blockquote", "caption", "table", "list",
         "references", "boilerplate", "quotation")
DEFAULT_ZONES = frozenset({"title", "heading", "body", "list", "caption"})   # the article's own prose
QUOTABLE = DEFAULT_ZONES                        # block zones in which quotations are marked
_PRIORITY = {"quotation": 1, "dateline": 2, "boilerplate": 3}   # when span zones overlap

HEADING_LINE_WORDS = 12     # a paragraph this short may stand for a heading ("References", "About X")
REFERENCE_SHORT_WORDS = 20  # a reference list opened by a line runs over blocks this short
REFERENCE_FEATURE_WORDS = 120   # longer blocks are not read as reference entries
FRONT_BLOCKS = 8            # a dateline is looked for in the first blocks only,
FRONT_PARAGRAPHS = 3        # ... in the first body paragraphs (a subtitle or a highlight may come first)

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
ENTRY_MARKER_RE = re.compile(rf"(?:\[\d{{1,3}}\]|\(\d{{1,3}}\)|\d{{1,3}}[.)]|[{SUPERSCRIPTS}]+)\s")   # [3] 1. (2) ¹
WEAK_MARKER_RE = re.compile(r"(?:\d{1,3}|[ivx]{1,5}[.)]?)\s")                                   # 3 iv
SOURCE_MARKER_RE = re.compile(r"(?:\d{1,3}[.)]|\[\d{1,3}\])[ \t]*$")   # a Markdown ordered-list item
IMAGE_RE = re.compile(r"!\[|<img\b", re.I)


# --- zones ---------------------------------------------------------------------------------------

def _close_for(sections: list, level: int, heading: bool) -> None:
    """Close the open sections a new one replaces: a Markdown heading closes the sections opened
    by a line and those under headings of its level or a higher one ("### Contact" stays inside
    "## About us"); a line or a plain-text heading closes the sections opened by a line."""
    while sections and (sections[-1][1] != "heading" or (heading and sections[-1][2] >= level)):
        sections.pop()


class Zones:
    """The zones of one document's blocks and spans (see the module docstring)."""

    def __init__(self, doc):
        self.doc = doc
        self._lex = zone_cues()
        self._markdown = doc.is_markdown
        self.block_zones: list[str] = []          # parallel to doc.blocks
        self.datelines: list[tuple[int, int]] = []
        self.is_news = False   # a news release or story: a dateline opens it ("BOSTON -", "For immediate release")
        self._by_start: dict[int, str] = {}
        self._sentences = doc.sentences if hasattr(doc, "sentences") else [
            s for b in doc.blocks for s in textlib.split_sentences(doc.prose, b.start, b.end)]
        self._sentence_starts = [s for s, _ in self._sentences]
        self._boilerplate_sentences = self._find_boilerplate_sentences()
        overrides: dict[int, list[tuple[int, int, str]]] = {}   # block index -> span zones
        self._classify(overrides)
        for j, s, e in quotation_spans(doc, self.block_zones, self._sentences, self._sentence_starts, QUOTABLE):
            overrides.setdefault(j, []).append((s, e, "quotation"))
        self._build_segments(overrides)

    # --- public ---------------------------------------------------------------------------------
    def block_zone(self, block) -> str:
        return self._by_start.get(block.start, "body")

    def zone_at(self, offset: int) -> str:
        """The zone of a prose offset; an offset between blocks takes the block before it."""
        i = bisect.bisect_right(self._seg_starts, offset) - 1
        if i < 0:
            return self._seg_zones[0] if self._seg_zones else "body"
        return self._seg_zones[i]

    def in_zones(self, start: int, end: int, allowed: frozenset) -> bool:
        """True when every character of prose[start:end] (at least the one at `start`) is in one
        of the `allowed` zones."""
        end = max(end, start + 1)
        starts, ends, zones = self._seg_starts, self._seg_ends, self._seg_zones
        i = max(0, bisect.bisect_right(starts, start) - 1)
        if i < len(starts) and ends[i] <= start and (i + 1 >= len(starts) or starts[i + 1] >= end):
            return zones[i] in allowed      # between blocks: the block before decides
        while i < len(starts) and starts[i] < end:
            if ends[i] > start and zones[i] not in allowed:
                return False
            i += 1
        return True

    def spans(self, zone: str):
        """The prose spans [start, end) of one zone, in order (a block's zone minus its span zones)."""
        return [(s, e) for s, e, z in zip(self._seg_starts, self._seg_ends, self._seg_zones) if z == zone]

    @property
    def dateline(self) -> tuple[int, int] | None:
        return self.datelines[0] if self.datelines else None

    # --- blocks ---------------------------------------------------------------------------------
    def _classify(self, overrides) -> None:
        doc, lex, prose, source = self.doc, self._lex, self.doc.prose, self.doc.source
        sections: list[tuple[str, str, int]] = []   # open sections, innermost last: (zone, policy, level)
        after_end_mark = False
        title_given = content_seen = False
        front_paragraphs = 0
        prev_source_end = 0
        for i, block in enumerate(doc.blocks):
            text = prose[block.start:block.end]
            words = len(text.split())
            src_start = doc.prose_map[block.start]
            image_before = False
            if self._markdown:   # what lies between the blocks: end marks ("###" is an empty heading), images
                if (lex["end_mark_line"].search(source, prev_source_end, src_start)
                        and source.find("```", prev_source_end, src_start) == -1
                        and source.find("~~~", prev_source_end, src_start) == -1):
                    after_end_mark, sections = True, []
                image_before = IMAGE_RE.search(source, prev_source_end, src_start) is not None
            prev_source_end = doc.prose_map[block.end - 1] + 1
            standalone = not block.in_list and not block.in_blockquote and block.kind != "cell"
            line = block.kind == "heading" or (standalone and block.kind == "paragraph" and words <= HEADING_LINE_WORDS)
            zone = None

            if block.in_footnote:
                zone = "references"
            elif standalone and lex["end_mark"].fullmatch(text):
                zone, after_end_mark, sections = "boilerplate", True, []
            elif (block.kind == "heading" and not title_given and not after_end_mark
                  and (block.heading_level == 1 or not content_seen)):
                zone, title_given = "title", True
            if zone is None:
                opened = self._opener(i, block, text, words, line) if standalone else None
                if opened is not None:
                    zone, policy = opened
                    if after_end_mark and zone != "references":
                        zone = "boilerplate"
                    level = block.heading_level if block.kind == "heading" else 7
                    _close_for(sections, level, block.kind == "heading" and level > 0)
                    if zone == "body":    # "About the Study": the article's own section
                        zone = "heading" if block.kind == "heading" else "body"
                    elif policy is not None:
                        sections.append((zone, policy, level))
            while zone is None and sections:
                if self._continues(sections[-1], block, text, words):
                    zone = sections[-1][0]
                else:
                    sections.pop()
            if zone is None and after_end_mark:
                zone = "references" if self._is_entry(block, text, words, listed=True) else "boilerplate"
            if zone is None:
                zone = self._own_zone(block, text, words, image_before)
            if zone == "dateline":
                self.datelines.append((block.start, block.end))
                self.is_news = self.is_news or bool(self._lex["news_release_starts"].match(text))
            if zone == "body":
                zone = self._body(i, block, zone, overrides)
                if (i < FRONT_BLOCKS and front_paragraphs < FRONT_PARAGRAPHS and zone == "body"
                        and block.kind == "paragraph"):
                    front_paragraphs += 1
                    end = opening_dateline(text)
                    if end is not None:
                        span = (block.start, block.start + end)
                        self.datelines.append(span)
                        self.is_news = True
                        overrides.setdefault(i, []).append((*span, "dateline"))
                        front_paragraphs = FRONT_PARAGRAPHS
            if zone not in ("title", "byline", "dateline", "heading"):
                content_seen = True
            self.block_zones.append(zone)
            self._by_start[block.start] = zone

    def _opener(self, i: int, block, text: str, words: int, line: bool):
        """(zone, section policy or None) when the block opens a section or is a section's own
        kind of block; None otherwise."""
        lex = self._lex
        key = heading_key(text) if line else ""
        policy = "heading" if block.kind == "heading" and block.heading_level > 0 else None
        if line and key in lex["reference_headings"]:
            return "references", policy or "refs"
        if line and key in lex["contact_headings"]:
            return "boilerplate", "short"
        if line and key in lex["boilerplate_headings"]:
            return "boilerplate", policy or "rest"
        if lex["about"].match(text):
            if self._about_institution(i, text, line or block.kind == "heading"):
                return "boilerplate", policy or "rest"
            return "body", None
        if block.kind == "paragraph" and lex["contact_starts"].match(text):
            return "boilerplate", "short"
        if block.kind == "paragraph" and lex["reference_starts"].match(text):
            return "references", None
        return None

    def _about_institution(self, i: int, text: str, line: bool) -> bool:
        """Whether "About <Name>" describes an institution (boilerplate) rather than the study, a
        product or a disease the article is about: the name has an organisation word ("About
        Cascade University"), or the words after it (in the same paragraph, or the block after
        a heading or a line) have an institution cue ("founded", "headquartered", "nonprofit")."""
        lex = self._lex
        head = text.split(":", 1)[0] if ":" in text[:120] else " ".join(text.split()[:8])
        name = head if line else " ".join(head.split()[:6])
        if lex["organisation_search"].search(name):
            return True
        if word_set(re.findall(r"[\w'’-]+", head)) & lex["about_body"]:
            return False
        if not line:
            return lex["about_institution"].search(text, 0, 400) is not None
        blocks = self.doc.blocks
        if i + 1 >= len(blocks):
            return False
        nxt = blocks[i + 1]
        return lex["about_institution"].search(self.doc.prose, nxt.start, min(nxt.end, nxt.start + 400)) is not None

    def _continues(self, section, block, text: str, words: int) -> bool:
        """Whether a block stays in the open section."""
        zone, policy, level = section
        lex = self._lex
        if policy != "heading" and block.kind == "heading" and block.heading_level > 0:
            return False    # a Markdown heading ends a section opened by a line
        if policy == "short":
            return words <= lex["contact_words"] or lex["contact_line"].search(text) is not None
        if policy == "refs":
            return words <= REFERENCE_SHORT_WORDS or self._is_entry(block, text, words, listed=True)
        if block.kind != "heading":
            return True
        if policy == "rest":
            return False
        return 0 < block.heading_level and 0 < level < block.heading_level

    def _own_zone(self, block, text: str, words: int, image_before: bool) -> str:
        """The zone of a block outside any section."""
        lex = self._lex
        if block.kind == "cell":
            return "table"
        if block.in_blockquote:
            return "blockquote"
        if words <= lex["byline_words"] and lex["byline"].match(text):
            return "byline"
        if is_dateline_block(text, words):
            return "dateline"
        if block.kind != "heading" and image_before and words <= lex["caption_words"]:
            return "caption"
        if words <= lex["caption_cue_words"] and lex["caption"].match(text):
            return "caption"
        if block.kind == "paragraph" and lex["boilerplate_starts"].match(text):
            return "boilerplate"
        if self._is_entry(block, text, words):
            return "references"
        if block.kind == "heading":
            return "heading"
        return "list" if block.in_list else "body"

    def _is_entry(self, block, text: str, words: int, listed: bool = False) -> bool:
        """A reference-list entry: a number marker ([3], 1.) or an author list at its start and one
        sign of a reference, or a bare number (3, iv) and two signs; in a reference list or after an
        end mark (`listed`), two signs without a number will do."""
        if words > REFERENCE_FEATURE_WORDS or block.kind == "cell":
            return False
        lex = self._lex
        marker = ENTRY_MARKER_RE.match(text) is not None or lex["entry_start"].match(text) is not None
        if not marker and block.in_list and self._markdown:
            src = self.doc.prose_map[block.start]
            line_start = self.doc.source.rfind("\n", max(0, src - 40), src) + 1
            marker = SOURCE_MARKER_RE.search(self.doc.source, max(line_start, src - 12), src) is not None
        if not marker and not listed and not WEAK_MARKER_RE.match(text):
            return False
        found = 0
        for pattern in lex["entry_features"]:
            if pattern.search(text):
                found += 1
                if found >= 2 or marker:
                    return True
        return False

    def _body(self, i: int, block, zone: str, overrides) -> str:
        """Funding, disclosure and legal sentences of a body paragraph: boilerplate spans, or the
        whole paragraph when every sentence is one."""
        lo = bisect.bisect_left(self._sentence_starts, block.start)
        hi = bisect.bisect_left(self._sentence_starts, block.end)
        marked = [k for k in range(lo, hi) if k in self._boilerplate_sentences]
        if not marked:
            return zone
        if len(marked) == hi - lo:
            return "boilerplate"
        spans = overrides.setdefault(i, [])
        spans.extend((*self._sentences[k], "boilerplate") for k in marked)
        return zone

    def _find_boilerplate_sentences(self) -> set[int]:
        """Indices of sentences that hold a funding, disclosure or legal statement (one pass)."""
        lex, prose, found = self._lex, self.doc.prose, set()
        sentences, starts = self._sentences, self._sentence_starts
        for m in lex["boilerplate_sentence"].finditer(prose):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k < 0 or k in found or m.start() >= sentences[k][1]:
                continue
            if not lex["finding"].search(prose, m.end(), sentences[k][1]):
                found.add(k)
        return found

    # --- segments -------------------------------------------------------------------------------
    def _build_segments(self, overrides) -> None:
        """Flat, ordered (start, end, zone) segments: each block's zone with its span zones cut in."""
        starts, ends, zones = [], [], []

        def add(s, e, z):
            if e <= s:
                return
            if zones and zones[-1] == z and ends[-1] == s:
                ends[-1] = e
            else:
                starts.append(s), ends.append(e), zones.append(z)

        for j, block in enumerate(self.doc.blocks):
            base = self.block_zones[j]
            spans = overrides.get(j)
            if not spans:
                add(block.start, block.end, base)
                continue
            events = []
            for s, e, z in spans:
                s, e = max(s, block.start), min(e, block.end)
                if e > s:
                    events.append((s, 1, z))
                    events.append((e, -1, z))
            events.sort(key=lambda ev: (ev[0], ev[1]))
            active = {"quotation": 0, "dateline": 0, "boilerplate": 0}
            at = block.start
            for pos, delta, z in events:
                if pos > at:
                    top = max((zz for zz, n in active.items() if n), key=_PRIORITY.get, default=None)
                    add(at, pos, top or base)
                    at = pos
                active[z] += delta
            add(at, block.end, base)
        self._seg_starts, self._seg_ends, self._seg_zones = starts, ends, zones


def zones_of(doc) -> Zones:
    """The zones of a document (an analysis.Article), computed once."""
    return doc.shared("zones", lambda: Zones(doc))


def dateline_span(doc) -> tuple[int, int] | None:
    """The prose span of the article's first dateline ("BOSTON, March 3, 2021 —", a "For Immediate
    Release: ..." line), or None."""
    return zones_of(doc).dateline
