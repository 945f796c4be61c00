"""Markdown or plain text -> prose + an offset map back to the source.

Rules never look at markup. A `Document` holds the prose (the words a reader sees,
blocks separated by blank lines) and, for every prose character, the index of the
source character it came from. Rules report prose offsets; `Document.to_source`
maps them back, and `Document.position` turns a source offset into line:column.
"""
from __future__ import annotations

import bisect
import itertools
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from healthlint.frontmatter import read_front_matter, split_front_matter
from healthlint.plaintext import plain_blocks

URL_RE = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>]*[^\s<>.,;:!?\"'”’)\]]", re.I)
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]*\w")
DIRECTIVE_RE = re.compile(r"<!--\s*(healthlint-[a-z-]+)\b(.*?)-->", re.S)


def find_directives(text: str):
    """The spans of DIRECTIVE_RE's matches in `text`, in linear time: each comment is matched
    only up to its own "-->", and an unclosed "<!--" ends the search (the lazy regex alone
    rescans the rest of the text from every unclosed "<!--")."""
    at = text.find("<!--")
    while at != -1:
        close = text.find("-->", at + 4)
        if close == -1:
            return
        m = DIRECTIVE_RE.match(text, at, close + 3)
        if m:
            yield m.span()
            at = text.find("<!--", m.end())
        else:
            at = text.find("<!--", at + 1)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


@dataclass(frozen=True, slots=True)
class Block:
    """A run of prose: a paragraph, heading, list-item paragraph or table cell."""
    kind: str            # "paragraph", "heading" or "cell"
    start: int           # prose offsets
    end: int
    heading_level: int = 0
    in_blockquote: bool = False
    in_list: bool = False
    in_footnote: bool = False   # the body of a footnote definition ([^1]: ...)


@dataclass(frozen=True, slots=True)
class Link:
    start: int           # prose offsets of the link text (may be empty)
    end: int
    href: str
    source_offset: int


@dataclass(frozen=True)
class FootnoteRef:
    label: str
    source_offset: int


@dataclass(frozen=True)
class Comment:
    """An HTML comment that holds a healthlint directive."""
    source_offset: int
    end_offset: int
    text: str


@dataclass
class Document:
    path: str
    source: str                       # decoded text, BOM removed, newlines normalised to \n
    prose: str = ""
    # prose offset -> source offset: built as a list (list.extend takes a range at C speed, an array
    # item by item), kept as an array (8 bytes an offset, not a list's ~36)
    prose_map: Sequence[int] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    footnote_refs: list[FootnoteRef] = field(default_factory=list)
    footnote_labels: set[str] = field(default_factory=set)
    comments: list[Comment] = field(default_factory=list)
    front_matter: str | None = None   # raw text between the fences
    front_matter_kind: str | None = None  # "yaml" or "toml"
    _shared: dict = field(default_factory=dict, repr=False, compare=False)

    def shared(self, key, compute):
        """compute(), once per document and key: for results several rules need (the treatment
        an article discusses); the key must include every option the result depends on."""
        try:
            return self._shared[key]
        except KeyError:
            value = self._shared[key] = compute()
            return value

    @property
    def is_markdown(self) -> bool:
        """Markdown by its name (stdin without a name is Markdown); anything else is plain text."""
        return self.path.lower().endswith(MARKDOWN_SUFFIXES) or self.path == "-"

    # --- positions -------------------------------------------------------
    @cached_property
    def _line_starts(self) -> list[int]:
        # (each line starts one past the end of the one before: summed lengths, no match object per line)
        return [0, *itertools.accumulate(len(line) + 1 for line in self.source.split("\n")[:-1])]

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset; columns count characters."""
        offset = max(0, min(offset, len(self.source)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a prose span [start, end) to a source span."""
        if not self.prose_map:
            return 0, 0
        start = max(0, min(start, len(self.prose_map) - 1))
        src_start = self.prose_map[start]
        src_end = self.prose_map[max(start, min(end, len(self.prose_map)) - 1)] + 1
        return src_start, max(src_start, src_end)

    # --- structure rules ask for ----------------------------------------
    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading"]

    @cached_property
    def _block_starts(self) -> list[int]:
        return [b.start for b in self.blocks]

    def block_at(self, offset: int) -> Block | None:
        i = bisect.bisect_right(self._block_starts, offset) - 1   # the last block starting at or before offset
        if i >= 0 and offset < self.blocks[i].end:
            return self.blocks[i]
        return None

    def text(self, block_or_span) -> str:
        start, end = block_or_span if isinstance(block_or_span, tuple) else (block_or_span.start, block_or_span.end)
        return self.prose[start:end]

    @cached_property
    def _front_matter_parsed(self) -> tuple[dict, str | None]:
        return read_front_matter(self.front_matter, self.front_matter_kind)

    @property
    def metadata(self) -> dict:
        """Front matter as a mapping ({} when absent or malformed)."""
        return self._front_matter_parsed[0]

    @property
    def front_matter_problem(self) -> str | None:
        return self._front_matter_parsed[1]


class _ProseBuilder:
    def __init__(self, keep_urls: bool = False) -> None:
        self.keep_urls = keep_urls
        self.parts: list[str] = []
        self.offsets: list[int] = []
        self.length = 0

    def add(self, text: str, offsets) -> None:
        self.parts.append(text)
        self.offsets.extend(offsets)
        self.length += len(text)

    def add_text(self, text: str, offsets: list[int]) -> None:
        """Add text, leaving out URLs and e-mail addresses (they produce no findings) unless the
        builder keeps them."""
        if self.keep_urls:
            self.add(text, offsets)
            return
        cut = []  # (looking for "://", "www." and "@" first skips the patterns for most text)
        if "://" in text or "www." in text.lower():
            cut += [m.span() for m in URL_RE.finditer(text)]
        if "@" in text:
            cut += [m.span() for m in EMAIL_RE.finditer(text)]
        if not cut:
            self.add(text, offsets)
            return
        pos = 0
        for s, e in sorted(cut):
            if s >= pos:
                self.add(text[pos:s], offsets[pos:s])
                pos = e
        self.add(text[pos:], offsets[pos:])

    def end_block(self, anchor: int) -> None:
        self.add("\n\n", (anchor, anchor))


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(path: str, source: str, keep_urls: bool = False) -> Document:
    """The structure of a file: prose, blocks, links, comments and front matter. For the
    language analyses rules ask for (sentences, negation, citations) use healthlint.analysis.parse.
    With `keep_urls`, the prose is the text a reader sees, addresses included (for showing it)."""
    return parse_into(Document(path=path, source=source), keep_urls)


def parse_into(doc: Document, keep_urls: bool = False) -> Document:
    """Parse doc.source into `doc` (an instance of Document or of a subclass)."""
    doc.source = normalize_newlines(doc.source).replace("\x00", "\ufffd")
    builder = _ProseBuilder(keep_urls)
    if doc.is_markdown:
        _parse_markdown(doc, builder)
    else:
        _parse_plain(doc, builder)
    return doc


# --- plain text -----------------------------------------------------------

def _parse_plain(doc: Document, builder: _ProseBuilder) -> None:
    src = doc.source
    for start, end in find_directives(src):
        doc.comments.append(Comment(start, end, src[start:end]))
    # a paragraph starts at its first non-blank character; a blank or all-space line ends it
    for para in re.finditer(r"[^\s][^\n]*(?:\n[ \t]*[^\s][^\n]*)*", src):
        text = para.group(0)
        offsets = list(range(para.start(), para.end()))
        for start, end in reversed(list(find_directives(text))):  # comments are not prose
            text = text[:start] + text[end:]
            del offsets[start:end]
        for kind, block_text, block_offsets in plain_blocks(text, offsets):
            start = builder.length
            builder.add_text(block_text, block_offsets)
            if builder.length > start:
                doc.blocks.append(Block(kind, start, builder.length))
                builder.end_block(block_offsets[-1])
    _finish(doc, builder)


def _finish(doc: Document, builder: _ProseBuilder) -> None:
    doc.prose = "".join(builder.parts)
    doc.prose_map = array("l", builder.offsets)


# --- Markdown -------------------------------------------------------------
# pulldown-cmark (through pyromark) turns Markdown into events, each with the byte range of
# the source it came from: text keeps its exact place, whatever containers (> quotes, list
# indentation, table pipes) surround it.

NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")
_OPTIONS = None
_CONTAINERS = {"BlockQuote": "quote", "List": "list", "FootnoteDefinition": "footnote"}
_SKIPPED = {"CodeBlock", "Image", "HtmlBlock", "MetadataBlock"}   # no prose inside
_BLOCKS = {"Paragraph": "paragraph", "Heading": "heading", "TableCell": "cell"}
_INLINE = {"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"}


def _options() -> int:
    global _OPTIONS
    if _OPTIONS is None:
        from pyromark import Options
        _OPTIONS = Options.ENABLE_TABLES | Options.ENABLE_FOOTNOTES | Options.ENABLE_STRIKETHROUGH
    return _OPTIONS


class _CharOffsets:
    """Byte offsets in a text's UTF-8 encoding -> character offsets."""

    def __init__(self, text: str) -> None:
        self.byte_ends: list[int] = []   # byte offset after each run of non-ASCII characters
        self.extra: list[int] = []       # bytes beyond one per character, up to that offset
        extra = 0
        for m in NON_ASCII_RE.finditer(text):
            extra += len(m.group(0).encode("utf-8")) - len(m.group(0))
            self.byte_ends.append(m.end() + extra)
            self.extra.append(extra)

    def __call__(self, offset: int) -> int:
        i = bisect.bisect_right(self.byte_ends, offset)
        return offset - (self.extra[i - 1] if i else 0)


def _parse_markdown(doc: Document, builder: _ProseBuilder) -> None:
    from pyromark import events_with_range
    src = doc.source
    kind, raw, body_start = split_front_matter(src)
    if kind:  # blank the front matter; every offset stays where it is
        doc.front_matter, doc.front_matter_kind = raw, kind
        text = "\n".join(" " * len(line) for line in src[:body_start].split("\n")) + src[body_start:]
    else:
        text = src
    char = int if text.isascii() else _CharOffsets(text)   # byte offset -> character offset
    depth = {"quote": 0, "list": 0, "footnote": 0}
    skipping = 0                # inside an image, code block or HTML block
    block: list | None = None   # [kind, prose start, heading level] of the block being built
    open_links: list[tuple[int, bool]] = []  # (index in doc.links, autolink?) of the links being read
    autolinks = 0               # inside <https://...>: the address is not prose (unless kept)

    def close_block() -> None:
        nonlocal block
        if block is not None and builder.length > block[1]:
            doc.blocks.append(Block(block[0], block[1], builder.length, block[2], depth["quote"] > 0,
                                    depth["list"] > 0, depth["footnote"] > 0))
            builder.end_block(builder.offsets[-1] + 1)
        block = None

    for event, span in events_with_range(text, options=_options()):
        # ("Start" | "End" | "" for a leaf event, its kind, its detail); offsets are converted where used
        if isinstance(event, str):
            tag, name, detail = "", event, None
        else:
            (tag, detail), = event.items()
            if tag == "Start" or tag == "End":
                if isinstance(detail, str):
                    name, detail = detail, None
                else:
                    (name, detail), = detail.items()
            else:
                tag, name = "", tag
        if tag == "Start":
            if name not in _INLINE:
                close_block()   # a tight list item's text ends where a block inside it starts
            if name in _SKIPPED:
                skipping += 1
            elif name in _BLOCKS:
                block = [_BLOCKS[name], builder.length, int(detail["level"][1:]) if name == "Heading" else 0]
            elif name in _CONTAINERS:
                depth[_CONTAINERS[name]] += 1
                if name == "FootnoteDefinition":
                    doc.footnote_labels.add(str(detail))
            elif name == "Link" and not skipping:
                auto = detail["link_type"] in ("Autolink", "Email")
                autolinks += auto
                open_links.append((len(doc.links), auto))
                doc.links.append(Link(builder.length, builder.length, str(detail["dest_url"]), char(span["start"])))
        elif tag == "End":
            if name in _SKIPPED:
                skipping -= 1
            elif name == "Link":
                if not skipping and open_links:
                    i, auto = open_links.pop()
                    autolinks -= auto
                    doc.links[i] = Link(doc.links[i].start, builder.length, doc.links[i].href,
                                        doc.links[i].source_offset)
            elif name not in _INLINE:
                close_block()
                if name in _CONTAINERS:
                    depth[_CONTAINERS[name]] -= 1
        elif name in ("Html", "InlineHtml"):
            if "healthlint-" in detail:   # a directive: <!-- healthlint-disable ... -->
                found_from = char(span["start"])
                for d_start, d_end in find_directives(detail):
                    directive = detail[d_start:d_end]
                    at = text.find(directive, found_from)
                    if at != -1:
                        doc.comments.append(Comment(at, at + len(directive), directive))
                        found_from = at + len(directive)
        elif skipping or (autolinks and not builder.keep_urls):
            continue
        elif name == "Text":
            if block is None:
                block = ["paragraph", builder.length, 0]   # the text of a tight list item
            start, end = char(span["start"]), char(span["end"])
            if end - start == len(detail) and text.startswith(detail, start):
                offsets = range(start, end)
            else:   # an entity or an escape: each character points into what was written
                offsets = [min(start + i, max(start, end - 1)) for i in range(len(detail))]
            builder.add_text(detail, offsets)
        elif name in ("SoftBreak", "HardBreak"):
            if block is not None:
                builder.add(" ", (char(span["start"]),))
        elif name == "FootnoteReference":
            doc.footnote_refs.append(FootnoteRef(str(detail), char(span["start"])))
    close_block()
    _finish(doc, builder)
