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

Names (not a zone: a name can stand in any zone): see `name_spans`.

Cue lists live in rules/lexicons/zones.yml. Everything is linear in the size of the document:
one pass over the blocks, regex passes over the prose, lookups by bisection.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from healthlint.analysis import text as textlib
from healthlint.analysis.currency import MONTHS
from healthlint.matching import Matcher
from healthlint.resources import load_lexicon

ZONES = ("title", "heading", "byline", "dateline", "body", "blockquote", "caption", "table", "list",
         "references", "boilerplate", "quotation")
DEFAULT_ZONES = frozenset({"title", "heading", "body", "list", "caption"})   # the article's own prose
QUOTABLE = DEFAULT_ZONES                        # block zones in which quotations are marked
SPEECH_ZONES = frozenset({"body", "list", "caption"})   # block zones whose sentences may be attributed speech
_PRIORITY = {"quotation": 1, "dateline": 2, "boilerplate": 3}   # when span zones overlap

HEADING_LINE_WORDS = 12     # a paragraph this short may stand for a heading ("References", "About X")
REFERENCE_SHORT_WORDS = 20  # a reference list opened by a line runs over blocks this short
REFERENCE_FEATURE_WORDS = 120   # longer blocks are not read as reference entries
DATE_LINE_REST_WORDS = 6    # a block that opens with a date is a dateline when this little follows
MAX_SENTENCE = 3000         # longer "sentences" (a run of text without full stops) are not read as speech
FRONT_BLOCKS = 8            # a dateline is looked for in the first blocks only,
FRONT_PARAGRAPHS = 3        # ... in the first body paragraphs (a subtitle or a highlight may come first)

UPPER = "A-ZÀ-ÖØ-Þ"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
ENTRY_MARKER_RE = re.compile(rf"(?:\[\d{{1,3}}\]|\(\d{{1,3}}\)|\d{{1,3}}[.)]|[{SUPERSCRIPTS}]+)\s")   # [3] 1. (2) ¹
WEAK_MARKER_RE = re.compile(r"(?:\d{1,3}|[ivx]{1,5}[.)]?)\s")                                   # 3 iv
SOURCE_MARKER_RE = re.compile(r"(?:\d{1,3}[.)]|\[\d{1,3}\])[ \t]*$")   # a Markdown ordered-list item
IMAGE_RE = re.compile(r"!\[|<img\b", re.I)
OPEN_QUOTES = "“\"«„"


def _words(items) -> frozenset:
    return frozenset(str(w).lower().replace("’", "'") for w in items)


def _any(patterns):
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def _alternation(items) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(items, key=len, reverse=True))


def _key(text: str) -> str:
    """A heading's text as the lexicon lists it: lower case, single spaces, no final : or ."""
    return " ".join(text.replace("’", "'").lower().split()).rstrip(" :.").strip()


def _forms(spk: str, verb: str, role: str, forms) -> re.Pattern:
    """The forms of attributed speech as one regex: SPK, VERB and ROLE filled in, each form's
    speaker group numbered (spk0, spk1, ...): a match's only non-empty group is its speaker."""
    filled = []
    for i, form in enumerate(forms):
        form = form.replace("SPK", spk).replace("VERB", verb).replace("ROLE", role)
        filled.append("(?:" + form.replace("(?P<spk>", f"(?P<spk{i}>") + ")")
    return re.compile("|".join(filled))


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    lex = load_lexicon("zones")
    month = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
    day = r"\d{1,2}(?:st|nd|rd|th)?(?!\d)"
    year = r"(?:19|20)\d\d"
    weekday = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    date = (rf"(?:{weekday},?\s+)?(?:{month}\s+{day}(?:,?\s+{year})?|{day}\s+{month},?\s+{year}|{month},?\s+{year}"
            rf"|{year}-\d\d-\d\d|\d{{1,2}}/\d{{1,2}}/(?:19|20)?\d\d)")
    wires = _alternation(lex["wires"])
    pw = rf"(?-i:[{UPPER}](?:[A-Za-zÀ-ÿ'’.-]*[A-Za-zÀ-ÿ.])?)"   # one word of a place name
    place = rf"{pw}(?:[ \t]+{pw}){{0,3}}(?:[ \t]+(?:and|&)[ \t]+{pw}(?:[ \t]+{pw}){{0,3}})?"
    state = rf",[ \t]*{pw}(?:[ \t]+{pw}){{0,2}}"
    dash = r"[ \t]*(?:-{1,3}|[–—─‒―]{1,2})[ \t]*"
    colon = r"[ \t]*:[ \t]*"
    paren = r",?[ \t]*[(\[][^()\[\]\n]{1,90}[)\]]"
    wire_prefix = rf"(?:(?:{wires}|\((?:{wires})\))(?:{dash}|{colon}))"
    speech = [v for v in lex["speech-verbs"] if v != "according to"]
    verb = rf"(?:{_alternation(speech)})"
    titles = "|".join(re.escape(t) for t in sorted(lex["speaker-titles"], key=len, reverse=True))
    capw = r"(?:[A-Z][\w'’-]*|[A-Z]\.)"
    name = rf"(?:(?:{titles})\.?\s+)?{capw}(?:\s+{capw}){{0,3}}"
    pronoun = "|".join(lex["speaker-pronouns"])
    spk = rf"(?P<spk>{name}|(?:{pronoun}))"
    role = r"(?:[a-z][\w'’-]*,?\s+){0,4}"   # "said study leader Jane Ruiz"
    roles = rf"(?:(?:{_alternation(lex['speaker-roles'])}),?\s+)?"   # "according to lead author Jane Ruiz"
    q_close, q_open = "[\"”’']", "[\"“‘']"
    connectors = "|".join(re.escape(c) for c in lex["name-connectors"])
    token = (rf"(?:[{UPPER}][a-z]?\.(?:[{UPPER}][a-z]?\.)+|[{UPPER}]\.(?=[^\S\n]+[{UPPER}])|(?:St|Mt|Ft)\."
             rf"|[{UPPER}][\w'’&-]*[\w'’]|[{UPPER}])")
    sep = rf"(?:[^\S\n]+|,[^\S\n]+)(?:(?:{connectors})[^\S\n]+)*"
    return {
        "reference_headings": _words(lex["reference-headings"]),
        "reference_starts": _any(lex["reference-starts"]),
        "entry_features": [re.compile(p, re.I) for p in lex["reference-entry-patterns"]],
        "entry_start": re.compile(lex["reference-entry-start"]),
        "boilerplate_headings": _words(lex["boilerplate-headings"]),
        "contact_headings": _words(lex["contact-headings"]),
        "contact_starts": _any(lex["contact-starts"]),
        "contact_line": _any(lex["contact-line-patterns"]),
        "contact_words": int(lex["contact-line-max-words"]),
        "boilerplate_starts": _any(lex["boilerplate-starts"]),
        "boilerplate_sentence": Matcher(patterns=lex["boilerplate-sentence-patterns"]),
        "finding": re.compile(rf"\b(?:{_alternation(lex['finding-verbs'])})\b", re.I),
        "about": re.compile(lex["about-start"]),
        "about_body": _words(lex["about-body-words"]),
        "about_institution": re.compile(rf"\b(?:{_alternation(lex['about-institution-cues'])})", re.I),
        "organisation_search": re.compile(r"(?<![\w-])(?:" + _alternation(lex["organisation-words"])
                                          + r")(?![\w-])", re.I),
        "end_mark": re.compile(r"\s*(?:" + "|".join(lex["end-mark-patterns"]) + r")\s*", re.I),
        "end_mark_line": re.compile(lex["end-mark-line"], re.M),
        "byline": _any(lex["byline-starts"]),
        "byline_words": int(lex["byline-max-words"]),
        "dateline_line": _any(lex["dateline-line-starts"]),
        "dateline_words": int(lex["dateline-max-words"]),
        "date": re.compile(date, re.I),
        "date_line": re.compile(rf"{date}(?:[ \t]*(?:[|/,–—-]|$))", re.I),
        "not_places": _words(lex["not-places"]),
        "dateline_place": re.compile(
            rf"(?P<wire>{wire_prefix})?(?P<place>{place})(?P<state>(?:{state}){{0,2}})(?P<date>,?[ \t]+{date})?"
            rf"(?P<paren>{paren})?(?P<slash>[ \t]*/[ \t]*(?:{wires})[ \t]*/|{dash}\((?:{wires})\))?"
            rf"(?P<date2>{dash}{date})?(?P<sep>{dash}|{colon})", re.I),
        "dateline_date": re.compile(
            rf"(?P<wire>{wire_prefix})?(?P<date>{date})(?:(?:,|{dash}|[ \t]*/)[ \t]*{place}(?:{state}){{0,2}})?"
            rf"(?P<sep>{dash}|{colon}|[ \t]*[|/][ \t]*)", re.I),
        "dateline_paren": re.compile(
            rf"(?P<wire>{wire_prefix})?\((?P<place>{place})(?P<state>(?:{state}){{0,2}})"
            rf"(?P<date>(?:,|{dash})[ \t]*{date})?\)(?P<sep>{dash}|{colon}|[ \t]+)", re.I),
        "dateline_wire": re.compile(wire_prefix, re.I),
        "caption": _any(lex["caption-starts"]),
        "caption_words": int(lex["caption-max-words"]),
        "caption_cue_words": int(lex["caption-cue-max-words"]),
        "speech_verb": re.compile(rf"\b(?:{verb}|[Aa]ccording\s+to)\b"),
        # attributed speech, in three groups: next to a quotation mark, at the end after a comma,
        # at the start of the sentence (each group is tried only on sentences that can hold it)
        "speech_quoted": _forms(spk, verb, role, (
            rf"{q_close}\s*,?\s*VERB\s+ROLESPK\b",                   # "...," said Dr. Ruiz
            rf"{q_close}\s*,?\s*SPK\s+VERB\b",                        # "...," Ruiz said
            rf"SPK\s+VERB\s*[,:]?\s*{q_open}",                          # Ruiz said: "..."
            rf"VERB\s+ROLESPK\s*[,:]?\s*{q_open}",                      # said Dr. Ruiz, "..."
        )),
        "speech_end": _forms(spk, verb, role, (
            r",\s*SPK\s+VERB(?:\s*,[^\"“”]*)?[.!?]?[\"”’)]*\s*$",      # ..., Ruiz said.
            r",\s*VERB\s+ROLESPK(?:\s*,[^\"“”]*)?[.!?]?[\"”’)]*\s*$",  # ..., said lead author Jane Ruiz.
            rf",\s*according\s+to\s+(?:the\s+)?{roles}SPK\b[^.!?]*[.!?]?[\"”’)]*\s*$",  # ..., according to Smith.
        )),
        "speech_start": _forms(spk, verb, role, (
            rf"[\"“‘]?[Aa]ccording\s+to\s+(?:the\s+)?{roles}SPK\b[^,\"“”]{{0,150}},",  # According to Smith, ...
            rf"(?P<spk>(?:{titles})\.?\s+{capw}(?:\s+{capw}){{0,2}}|{capw}\s+{capw}(?:\s+{capw})?|He|She)"
            rf"\s+VERB\b",                                                   # Dr. Ruiz said the ...
        )),
        "not_speakers": _words(lex["not-speakers"]),
        "name_run": re.compile(rf"{token}(?:{sep}{token})+"),
        "name_token": re.compile(rf"{token}|,|(?<![\w&])(?:{connectors})(?![\w&])"),
        "acronym": re.compile(r"[^\S\n]*\((?P<acr>[A-Z][A-Za-z0-9&.-]{1,14})\)"),
        "organisation": _words(lex["organisation-words"]),
        "cue_search": re.compile(r"(?<![\w-])(?:" + _alternation(
            set(lex["organisation-words"]) | set(lex["study-words"]) | set(lex["study-title-openers"]))
            + r")(?:['’]s?)?(?![\w-])", re.I),
        "heads": _words(lex["organisation-heads"]),
        "study": _words(lex["study-words"]),
        "generic_study": _words(lex["generic-study-words"]),
        "study_openers": _words(lex["study-title-openers"]),
        "connectors": _words(lex["name-connectors"]),
        "splitters": _words(lex["name-splitters"]),
        "name_stopwords": _words(lex["name-stopwords"]),
        "name_patterns": re.compile("|".join(f"(?:{p})" for p in lex["name-patterns"])),
    }


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
        self._lex = _lexicon()
        self.block_zones: list[str] = []          # parallel to doc.blocks
        self.datelines: list[tuple[int, int]] = []
        self._by_start: dict[int, str] = {}
        self._sentences = doc.sentences if hasattr(doc, "sentences") else [
            s for b in doc.blocks for s in textlib.split_sentences(doc.prose, b.start, b.end)]
        self._sentence_starts = [s for s, _ in self._sentences]
        self._boilerplate_sentences = self._find_boilerplate_sentences()
        overrides: dict[int, list[tuple[int, int, str]]] = {}   # block index -> span zones
        self._classify(overrides)
        self._find_quotations(overrides)
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
            if doc.is_markdown:   # what lies between the blocks: end marks ("###" is an empty heading), images
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
            if zone == "body":
                zone = self._body(i, block, zone, overrides)
                if (i < FRONT_BLOCKS and front_paragraphs < FRONT_PARAGRAPHS and zone == "body"
                        and block.kind == "paragraph"):
                    front_paragraphs += 1
                    span = self._dateline_prefix(block, text)
                    if span is not None:
                        self.datelines.append(span)
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
        key = _key(text) if line else ""
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
        if _words(re.findall(r"[\w'’-]+", head)) & lex["about_body"]:
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
        if words <= lex["dateline_words"]:
            m = lex["dateline_line"].match(text)
            if m and lex["date"].search(text, m.end(), m.end() + 40):
                return "dateline"
            m = lex["date_line"].match(text)   # "March 3, 2021 | by Lena Brook"; not a date and a sentence
            if m and len(text[m.end():].split()) <= DATE_LINE_REST_WORDS:
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
        if not marker and block.in_list and self.doc.is_markdown:
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

    # --- datelines ------------------------------------------------------------------------------
    def _dateline_prefix(self, block, text: str) -> tuple[int, int] | None:
        """The dateline that opens the first body paragraph, as a prose span."""
        lex = self._lex
        head = text[:300]
        end = None
        m = lex["dateline_place"].match(head)
        if m and self._place_ok(m, head):
            end = m.end()
        if end is None and (m := lex["dateline_paren"].match(head)):
            if m.group("wire") or m.group("state") or m.group("date") or m.group("sep").strip():
                end = m.end()
        if end is None and (m := lex["dateline_date"].match(head)):
            end = m.end()
        if end is None and (m := lex["dateline_wire"].match(head)):
            end = m.end()
        if end is None:
            return None
        while end > 0 and text[end - 1].isspace():
            end -= 1
        return block.start, block.start + end

    def _place_ok(self, m, head: str) -> bool:
        """Whether "PLACE -" reads as a dateline: with a state, a date, a wire or brackets; or a
        place in capitals; or a short place with "--" or an em dash before a capital. A hyphen
        between two words ("Omega-3", "Aug. 25-28") is not a dateline's dash."""
        lex = self._lex
        place, raw_sep = m.group("place"), m.group("sep")
        sep = raw_sep.strip()
        after = head[m.end():m.end() + 1]
        letters = [ch for ch in place if ch.isalpha()]
        capitals = len(letters) >= 3 and all(ch.isupper() for ch in letters)
        if _key(place.split()[0]) in lex["not_places"]:
            return False
        if raw_sep == "-" and (after.isdigit() or not (m.group("date") or m.group("date2") or m.group("paren"))):
            return False
        if m.group("date") and not m.group("date").startswith(",") and not (capitals or m.group("state")):
            return False    # "From Aug. 25": a date right after a word needs a place in capitals or a state
        if m.group("date") or m.group("date2") or m.group("paren") or m.group("slash") or m.group("state"):
            return True
        if sep == ":":
            return False
        starts_sentence = after == "" or after.isupper() or after.isdigit() or after in "\"“‘'"
        if capitals:
            return starts_sentence or sep.startswith(("-", "–", "—"))
        return sep in ("--", "—", "---", "——") and len(place.split()) <= 3 and after.isupper()

    # --- quotations -----------------------------------------------------------------------------
    def _find_quotations(self, overrides) -> None:
        doc, lex, prose = self.doc, self._lex, self.doc.prose
        blocks = doc.blocks
        block_starts = [b.start for b in blocks]

        def block_index(offset):
            j = bisect.bisect_right(block_starts, offset) - 1
            return j if j >= 0 and offset < blocks[j].end else None

        quoted = doc.quoted_spans if hasattr(doc, "quoted_spans") else [
            q for b in blocks for q in textlib.quoted_spans(prose, b.start, b.end)]
        quote_starts = {s for s, _ in quoted}
        for s, e in quoted:
            j = block_index(s)
            if j is not None and self.block_zones[j] in QUOTABLE:
                overrides.setdefault(j, []).append((s, e, "quotation"))
        for j, block in enumerate(blocks):   # a quotation that runs over paragraphs opens one and does not close it
            if (prose[block.start] in OPEN_QUOTES and block.start not in quote_starts
                    and self.block_zones[j] in QUOTABLE):
                overrides.setdefault(j, []).append((block.start, block.end, "quotation"))
        sentences, starts = self._sentences, self._sentence_starts
        done = -1
        for m in lex["speech_verb"].finditer(prose):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k < 0 or k == done or m.start() >= sentences[k][1]:
                continue
            done = k
            s, e = sentences[k]
            j = block_index(s)
            if j is None or self.block_zones[j] not in SPEECH_ZONES or e - s > MAX_SENTENCE:
                continue
            sentence = prose[s:e]
            if self._attributed(sentence):
                overrides.setdefault(j, []).append((s, e, "quotation"))

    def _attributed(self, sentence: str) -> bool:
        lex = self._lex
        found = [lex["speech_start"].match(sentence)]
        if "," in sentence:
            found.extend(lex["speech_end"].finditer(sentence))
        if any(q in sentence for q in "\"“”‘’'"):
            found.extend(lex["speech_quoted"].finditer(sentence))
        for m in found:
            if m is not None:
                speaker = next(g for g in m.groups() if g)   # the only groups are the speakers
                if speaker.split()[0].rstrip(".").lower() not in lex["not_speakers"]:
                    return True
        return False

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


# --- names ---------------------------------------------------------------------------------------

def name_spans(doc) -> list[tuple[int, int]]:
    """Prose spans of proper names of organisations, departments, funders and studies, in order
    and without overlaps: a run of capitalised words joined by of/for/and/the/in/&, with an
    organisation word ("Institute", "Foundation", "Division", "University", ...) or a study word
    ("Trial", "Study": with another specific word, or an acronym), "X for the Cure", or a study
    title opener with its acronym ("Effects of Aspirin in Gestation and Reproduction (EAGeR)").
    An acronym in brackets after a name is part of it, and the acronym alone later in the text is
    a name too. A capitalised word that starts a sentence is never a name by itself, and words
    before the part that holds the cue word are left out ("Researchers in | Boston Children's
    Hospital"). The words of a name are not claims and not treatments."""
    return doc.shared("name-spans", lambda: _find_names(doc.prose))


def in_name(doc, start: int, end: int) -> bool:
    """True when prose[start:end] lies inside one name (see name_spans)."""
    spans = name_spans(doc)
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def _base(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word.rstrip("'.")


def _is_acronym(word: str) -> bool:
    """ "NIH", "EAGeR", "NHLBI": two capitals or more, and capitals at least 40% of the letters."""
    letters = [ch for ch in word if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 2 and upper >= 0.4 * len(letters)


def _find_names(prose: str) -> list[tuple[int, int]]:
    lex = _lexicon()
    spans: list[tuple[int, int]] = []
    acronyms: set[str] = set()
    for run in lex["name_run"].finditer(prose):
        found = _name_in_run(prose, run, lex)
        if found:
            spans.append(found[:2])
            if found[2]:
                acronyms.add(found[2])
    if acronyms:
        again = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True))
                           + r")(?![\w-])")
        spans.extend(m.span() for m in again.finditer(prose))
        spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _name_in_run(prose: str, run, lex) -> tuple[int, int, str | None] | None:
    """(start, end, acronym) of the name in one run of capitalised words, or None."""
    text = run.group(0)
    if not lex["cue_search"].search(text) and not lex["name_patterns"].search(text):
        return None
    tokens = [(m.start(), m.end(), m.group(0)) for m in lex["name_token"].finditer(text)]
    # kinds: "w" a capitalised word, "c" a connector, "," a comma
    kinds = ["," if t == "," else ("c" if t.lower() in lex["connectors"] and not t[0].isupper() else "w")
             for _, _, t in tokens]
    bases = [_base(t) for _, _, t in tokens]
    organisation, study = lex["organisation"], lex["study"]
    cues = [k for k in range(len(tokens)) if kinds[k] == "w" and (bases[k] in organisation or bases[k] in study)]
    special = lex["name_patterns"].search(text)
    first = next((k for k in range(len(tokens)) if kinds[k] == "w" and bases[k] not in lex["name_stopwords"]), None)
    if first is None:
        return None
    acronym_m = lex["acronym"].match(prose, run.end())
    acronym = acronym_m.group("acr") if acronym_m and _is_acronym(acronym_m.group("acr")) else None
    opener = bases[first] in lex["study_openers"]
    if not cues and not special and not (opener and acronym):
        return None

    def word_count(a, b):
        return sum(1 for k in range(a, b + 1) if kinds[k] == "w")

    if special and not cues:
        start_tok = first
        end_char = special.end()
        if word_count(start_tok, len(tokens) - 1) < 2 or tokens[start_tok][0] >= special.start():
            return None
        return run.start() + tokens[start_tok][0], run.start() + end_char, None
    if not cues:    # a study title with its acronym
        end = acronym_m.end()
        return run.start() + tokens[first][0], end, acronym
    # parts split at of/for/in/on: the name starts at the first part with a cue
    part_of, part = [], 0
    for k in range(len(tokens)):
        if kinds[k] == "c" and bases[k] in lex["splitters"]:
            part += 1
        part_of.append(part)
    # comma groups: a name starts at the group with its first cue ("Jane Doe, MD, | Harvard Medical
    # School"), unless that group goes on a list ("National Heart, Lung, | and Blood Institute")
    group_of, group = [], 0
    for k in range(len(tokens)):
        if kinds[k] == ",":
            group += 1
        group_of.append(group)
    first_group = group_of[cues[0]]
    group_start = next(k for k in range(len(tokens)) if group_of[k] == first_group and kinds[k] != ",")
    if first_group > 0 and kinds[group_start] == "c" and bases[group_start] in ("and", "&"):
        sizes = [0] * (group + 1)
        for g in group_of:
            sizes[g] += 1
        while first_group > 0 and sizes[first_group - 1] <= 3:
            first_group -= 1
    first_cue_part = part_of[cues[0]]
    start_tok = next(k for k in range(len(tokens)) if part_of[k] == first_cue_part and kinds[k] == "w"
                     and group_of[k] >= first_group)
    if opener and acronym and first < start_tok:
        start_tok = first
    while start_tok < cues[0] and bases[start_tok] in lex["name_stopwords"]:
        start_tok += 1
    while kinds[start_tok] != "w":
        start_tok += 1
    last_cue = cues[-1]
    end_tok = last_cue
    later_words = [k for k in range(last_cue + 1, len(tokens)) if part_of[k] == part_of[last_cue] and kinds[k] == "w"]
    if not later_words and part_of[last_cue] < part and bases[last_cue] in lex["heads"]:   # "Division | of ..."
        nxt = part_of[last_cue] + 1
        tail = [k for k in range(last_cue + 1, len(tokens)) if part_of[k] == nxt and kinds[k] == "w"
                and group_of[k] == group_of[last_cue]]
        if tail:
            end_tok = tail[-1]
    if word_count(start_tok, end_tok) < 2:
        return None
    if all(bases[k] in study for k in cues if start_tok <= k <= end_tok) and not acronym:
        specific = [k for k in range(start_tok, end_tok + 1) if kinds[k] == "w" and bases[k] not in study
                    and bases[k] not in lex["generic_study"]]
        capitals = any(len(tokens[k][2]) >= 2 and tokens[k][2].isupper() for k in range(start_tok, end_tok + 1)
                       if kinds[k] == "w" and bases[k] not in study)
        if len(specific) < 2 and not capitals:
            return None
    end = run.start() + tokens[end_tok][1]
    if end_tok == len(tokens) - 1 and acronym:
        return run.start() + tokens[start_tok][0], acronym_m.end(), acronym
    return run.start() + tokens[start_tok][0], end, None
