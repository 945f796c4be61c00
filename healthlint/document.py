"""Markdown or plain text -> prose + an offset map back to the source.

Rules never look at markup. A `Document` holds the prose (the words a reader sees,
blocks separated by blank lines) and, for every prose character, the index of the
source character it came from. Rules report prose offsets; `Document.to_source`
maps them back, and `Document.position` turns a source offset into line:column.
"""
from __future__ import annotations

import bisect
import html
import re
from array import array
from dataclasses import dataclass, field
from functools import cached_property

URL_RE = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>]*[^\s<>.,;:!?\"'”’)\]]", re.I)
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]*\w")
ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
DIRECTIVE_RE = re.compile(r"<!--\s*(healthlint-[a-z-]+)\b(.*?)-->", re.S)
FRONT_MATTER_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
# front matter starts right after its fence (no blank line, as in Pandoc) with a key or a comment
FRONT_MATTER_START = {"yaml": re.compile(r"(?:#|[^\s:#][^:\n]*:(?:[ \t]|$))", re.M),
                      "toml": re.compile(r"(?:#|\[|[\w\"'.-]+[ \t]*=)")}
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


@dataclass(frozen=True)
class Block:
    """A run of prose: a paragraph, heading, list-item paragraph or table cell."""
    kind: str            # "paragraph", "heading" or "cell"
    start: int           # prose offsets
    end: int
    heading_level: int = 0
    in_blockquote: bool = False
    in_list: bool = False
    in_footnote: bool = False   # the body of a footnote definition ([^1]: ...)


@dataclass(frozen=True)
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
    prose_map: array = field(default_factory=lambda: array("l"))
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
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]

    @property
    def is_markdown(self) -> bool:
        """Markdown by its name (stdin without a name is Markdown); anything else is plain text."""
        return self.path.lower().endswith(MARKDOWN_SUFFIXES) or self.path == "-"

    # --- positions -------------------------------------------------------
    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.source))
        return starts

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

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def block_at(self, offset: int) -> Block | None:
        i = bisect.bisect_right(self._block_starts, offset) - 1
        if i >= 0 and self.blocks[i].start <= offset < self.blocks[i].end:
            return self.blocks[i]
        return None

    def text(self, block_or_span) -> str:
        start, end = block_or_span if isinstance(block_or_span, tuple) else (block_or_span.start, block_or_span.end)
        return self.prose[start:end]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        from healthlint.text import split_sentences
        spans: list[tuple[int, int]] = []
        for block in self.blocks:
            spans.extend(split_sentences(self.prose, block.start, block.end))
        return spans

    def is_negated(self, offset: int) -> bool:
        """Whether the words at `offset` are negated in their sentence ("there is no cure")."""
        from healthlint.text import is_negated
        return is_negated(self.prose, self.sentence_at(offset)[0], offset)

    def unnegated(self, matcher, start: int = 0, end: int | None = None):
        """Matches of a packs.Matcher in prose[start:end] that are not negated."""
        return (m for m in matcher.finditer(self.prose, start, end) if not self.is_negated(m.start()))

    def is_question(self, start: int, end: int) -> bool:
        """Whether the sentence prose[start:end] asks rather than asserts."""
        return self.prose[start:end].rstrip("\"'”’)] ").endswith("?")

    def sentence_at(self, offset: int) -> tuple[int, int]:
        sentences = self.sentences
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and sentences[i][0] <= offset < sentences[i][1]:
            return sentences[i]
        block = self.block_at(offset)
        return (block.start, block.end) if block else (offset, offset)

    @cached_property
    def quoted_spans(self) -> list[tuple[int, int]]:
        from healthlint.text import quoted_spans
        spans: list[tuple[int, int]] = []
        for block in self.blocks:
            spans.extend(quoted_spans(self.prose, block.start, block.end))
        return spans

    @cached_property
    def _quote_starts(self) -> list[int]:
        return [s for s, _ in self.quoted_spans]

    def in_quotes(self, start: int, end: int) -> bool:
        """True when [start, end) sits inside quotation marks (spans are in order and never overlap)."""
        i = bisect.bisect_right(self._quote_starts, start) - 1
        return i >= 0 and end <= self.quoted_spans[i][1]

    @cached_property
    def citations(self):
        """Where the document cites its sources (see healthlint.citations)."""
        from healthlint.citations import Citations
        return Citations(self)

    @cached_property
    def _front_matter_parsed(self) -> tuple[dict, str | None]:
        """(front matter as a mapping, or {}; the reason it could not be read, or None)."""
        if not self.front_matter:
            return {}, None
        try:
            if self.front_matter_kind == "toml":
                from healthlint.resources import tomllib
                data = tomllib.loads(self.front_matter)
            else:
                import yaml
                data = yaml.load(self.front_matter, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except Exception as exc:  # malformed front matter is reported by a rule, never a crash
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            return {}, f"{self.front_matter_kind.upper()} front matter cannot be read: {problem}"
        if not isinstance(data, dict):
            return {}, f"{self.front_matter_kind.upper()} front matter is not a set of keys and values"
        return data, None

    @property
    def metadata(self) -> dict:
        """Front matter as a mapping ({} when absent or malformed)."""
        return self._front_matter_parsed[0]

    @property
    def front_matter_problem(self) -> str | None:
        return self._front_matter_parsed[1]


class _ProseBuilder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offsets = array("l")
        self.length = 0

    def add(self, text: str, offsets) -> None:
        self.parts.append(text)
        self.offsets.extend(offsets)
        self.length += len(text)

    def add_text(self, text: str, offsets: list[int]) -> None:
        """Add text, leaving out URLs and e-mail addresses (they produce no findings)."""
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


def split_front_matter(source: str) -> tuple[str | None, str | None, int]:
    """Return (kind, raw front matter, offset where the body starts)."""
    first_line, _, _ = source.partition("\n")
    fence = first_line.rstrip()
    if fence not in FRONT_MATTER_FENCES:
        return None, None, 0
    closers = FRONT_MATTER_FENCES[fence]
    pos = len(first_line) + 1
    while pos <= len(source):
        nl = source.find("\n", pos)
        line_end = len(source) if nl == -1 else nl
        if source[pos:line_end].rstrip() in closers:
            kind = "yaml" if fence == "---" else "toml"
            raw = source[len(first_line) + 1:pos]
            if not FRONT_MATTER_START[kind].match(raw):  # "---" then prose: a thematic break, not metadata
                return None, None, 0
            return kind, raw, (line_end + 1 if nl != -1 else line_end)
        if nl == -1:
            break
        pos = nl + 1
    return None, None, 0


def parse(path: str, source: str) -> Document:
    source = normalize_newlines(source).replace("\x00", "\ufffd")
    doc = Document(path=path, source=source)
    if doc.is_markdown:
        _parse_markdown(doc)
    else:
        _parse_plain(doc)
    return doc


# --- plain text -----------------------------------------------------------

def _parse_plain(doc: Document) -> None:
    builder = _ProseBuilder()
    src = doc.source
    for m in DIRECTIVE_RE.finditer(src):
        doc.comments.append(Comment(m.start(), m.end(), m.group(0)))
    # a paragraph starts at its first non-blank character; a blank or all-space line ends it
    for para in re.finditer(r"[^\s][^\n]*(?:\n[ \t]*[^\s][^\n]*)*", src):
        text = para.group(0)
        offsets = list(range(para.start(), para.end()))
        for m in reversed(list(DIRECTIVE_RE.finditer(text))):  # comments are not prose
            text = text[:m.start()] + text[m.end():]
            del offsets[m.start():m.end()]
        start = builder.length
        builder.add_text(text.replace("\n", " "), offsets)
        if builder.length > start:
            doc.blocks.append(Block("paragraph", start, builder.length))
            builder.end_block(para.end() - 1)
    _finish(doc, builder)


def _finish(doc: Document, builder: _ProseBuilder) -> None:
    doc.prose = "".join(builder.parts)
    doc.prose_map = builder.offsets


# --- Markdown -------------------------------------------------------------

_MD = None


def _markdown():
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.footnote import footnote_plugin
        _MD = (MarkdownIt("commonmark", {"html": True})
               .enable(["table", "strikethrough"]).use(footnote_plugin))
    return _MD


def _parse_markdown(doc: Document) -> None:
    src = doc.source
    kind, raw, body_start = split_front_matter(src)
    if kind:
        doc.front_matter, doc.front_matter_kind = raw, kind
        # blank the front matter but keep its lines, so token line numbers match the source
        text = "\n" * src.count("\n", 0, body_start) + src[body_start:]
    else:
        text = src
    env: dict = {}
    tokens = _markdown().parse(text, env)
    doc.footnote_labels = {label.lstrip(":") for label in env.get("footnotes", {}).get("refs", {})}
    lines = src.split("\n")
    line_starts = doc._line_starts
    builder = _ProseBuilder()
    line_cursor: dict[int, int] = {}
    quote_depth = list_depth = footnote_depth = 0
    heading_level = 0
    in_cell = False
    for tok in tokens:
        t = tok.type
        if t == "blockquote_open":
            quote_depth += 1
        elif t == "blockquote_close":
            quote_depth -= 1
        elif t in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif t in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif t == "footnote_open":
            footnote_depth += 1
        elif t == "footnote_close":
            footnote_depth -= 1
        elif t == "heading_open":
            heading_level = int(tok.tag[1:])
        elif t == "heading_close":
            heading_level = 0
        elif t in ("th_open", "td_open"):
            in_cell = True
        elif t in ("th_close", "td_close"):
            in_cell = False
        elif t == "html_block" and tok.map:
            if "healthlint-" in tok.content:
                content = tok.content.rstrip("\n")
                content_map = _map_inline_content(content, tok.map[0], lines, line_starts, {})
                for m in DIRECTIVE_RE.finditer(content):
                    doc.comments.append(Comment(content_map[m.start()], content_map[m.end() - 1] + 1, m.group(0)))
        elif t == "inline" and tok.map:
            content_map = _map_inline_content(tok.content, tok.map[0], lines, line_starts, line_cursor,
                                              in_cell)
            start = builder.length
            _walk_inline(doc, builder, tok.children or [], tok.content, content_map)
            if builder.length > start:
                kind_ = "heading" if heading_level else ("cell" if in_cell else "paragraph")
                doc.blocks.append(Block(kind_, start, builder.length, heading_level,
                                        quote_depth > 0, list_depth > 0, footnote_depth > 0))
                builder.end_block(builder.offsets[-1] + 1)
    _finish(doc, builder)


def _map_inline_content(content: str, first_line: int, lines: list[str], line_starts: list[int],
                        line_cursor: dict[int, int], in_cell: bool = False) -> list[int]:
    """Source offset of every character of an inline token's content.

    markdown-it gives an inline token its text with container prefixes ("> ", list
    indentation) removed, one content line per source line. Each content line is
    found in its source line, after anything already consumed on that line (table
    cells share a line, so a cell is never matched at the end of its line).
    """
    offsets: list[int] = []
    for k, piece in enumerate(content.split("\n")):
        line_no = min(first_line + k, len(lines) - 1)
        line = lines[line_no]
        cursor = line_cursor.get(line_no, 0)
        stripped = piece.lstrip(" \t")
        lead = len(piece) - len(stripped)
        body = line.rstrip(" \t")
        core = stripped.rstrip(" \t")
        if cursor == 0 and core and body.endswith(core) and not in_cell:
            cols = range(len(body) - len(core), len(body))
        else:
            cols = _find_in_line(line, core, cursor, in_cell)
        first = cols[0] if cols else cursor
        after = cols[-1] + 1 if cols else cursor
        line_cursor[line_no] = after
        base = line_starts[line_no]
        offsets.extend(range(base + first - lead, base + first))
        if isinstance(cols, range):
            offsets.extend(range(base + cols.start, base + cols.stop))
        else:
            offsets.extend(base + c for c in cols)
        offsets.extend(range(base + after, base + after + len(piece) - lead - len(core)))
        offsets.append(line_starts[line_no] + len(line))  # the newline
    offsets.pop()
    return offsets if not offsets or min(offsets) >= 0 else [max(0, o) for o in offsets]


def _find_in_line(line: str, core: str, cursor: int, in_cell: bool) -> range | list[int]:
    """Column of every character of `core` in `line`, searching from `cursor`.

    A table cell's content has its escaped pipes (`\\|`) unescaped; every `|` in it
    was written `\\|`.
    """
    if not core:
        return []
    if in_cell and "|" in core:
        col = line.find(core.replace("|", "\\|"), cursor)
        if col >= 0:
            cols = []
            for ch in core:
                if ch == "|":
                    col += 1
                cols.append(col)
                col += 1
            return cols
    col = line.find(core, cursor)
    if col < 0:
        col = max(cursor, len(line.rstrip(" \t")) - len(core))
    return range(col, col + len(core))


def _align(text: str, content: str, cursor: int) -> tuple[range | list[int], int]:
    """Find `text` (a token's decoded text) in `content` from `cursor`.

    Returns the content index of every character of `text` and the new cursor.
    Backslash escapes and HTML entities in the content are understood; any other
    content characters (emphasis markers, skipped markup) are stepped over.
    """
    if content.startswith(text, cursor):  # the common case: plain text, nothing to step over
        return range(cursor, cursor + len(text)), cursor + len(text)
    at = content.find(text, cursor)
    if at != -1 and not any(c in content[cursor:at] for c in (text[:1], "\\", "&")):
        return range(at, at + len(text)), at + len(text)  # only markup before it: the same as below
    positions: list[int] = []
    i, j, n = 0, cursor, len(content)
    while i < len(text) and j < n:
        ch = text[i]
        c = content[j]
        if c == ch:
            positions.append(j)
            i += 1
            j += 1
        elif c == "\\" and j + 1 < n and content[j + 1] == ch:
            j += 1
        elif c == "&" and (m := ENTITY_RE.match(content, j)):
            decoded = html.unescape(m.group(0))
            if decoded != m.group(0) and text.startswith(decoded, i):
                positions.extend([j] * len(decoded))
                i += len(decoded)
            j = m.end()
        else:
            j += 1
    if i < len(text):  # could not align the rest: pin it to the last known place
        last = positions[-1] if positions else min(cursor, max(n - 1, 0))
        positions.extend([last] * (len(text) - i))
    return positions, j


def _skip_balanced(content: str, j: int, open_ch: str, close_ch: str) -> int:
    """content[j] == open_ch: return the index after its matching close_ch."""
    depth = 0
    n = len(content)
    while j < n:
        c = content[j]
        if c == "\\":
            j += 2
            continue
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


def _skip_link_tail(content: str, j: int) -> int:
    """After a link's text: skip `](url "title")`, `][ref]`, `[]` or `]`."""
    while j < len(content) and content[j] in "*_~":  # emphasis that closes with the text
        j += 1
    if j < len(content) and content[j] == "]":
        j += 1
    if j < len(content) and content[j] == "(":
        return _skip_balanced(content, j, "(", ")")
    if j < len(content) and content[j] == "[":
        return _skip_balanced(content, j, "[", "]")
    return j


def _walk_inline(doc: Document, builder: _ProseBuilder, children, content: str,
                 content_map: list[int]) -> None:
    cursor = 0
    skip_until_close = False
    final = len(content_map) - 1

    def src(i: int) -> int:
        return content_map[min(i, final)] if content_map else 0

    for child in children:
        t = child.type
        if skip_until_close:
            if t == "link_close":
                skip_until_close = False
            continue
        if t == "text":
            positions, cursor = _align(child.content, content, cursor)
            if isinstance(positions, range) and positions.stop <= final + 1:
                offsets = content_map[positions.start:positions.stop]
            else:
                offsets = [content_map[min(p, final)] for p in positions] if content_map else [0] * len(positions)
            builder.add_text(child.content, offsets)
        elif t in ("softbreak", "hardbreak"):
            nl = content.find("\n", cursor)
            if nl != -1:
                builder.add(" ", (src(nl),))
                cursor = nl + 1
        elif t == "code_inline":
            tick = content.find(child.markup, cursor)
            if tick != -1:
                close = _find_closing_ticks(content, tick + len(child.markup), child.markup)
                cursor = close
        elif t == "link_open":
            href = child.attrs.get("href", "")
            bracket = content.find("<" if child.markup == "autolink" else "[", cursor)
            if child.markup == "autolink":
                cursor = content.find(">", bracket) + 1 if bracket != -1 else cursor
                skip_until_close = True
                doc.links.append(Link(builder.length, builder.length, str(href), src(max(bracket, 0))))
            else:
                if bracket != -1:
                    cursor = bracket + 1
                doc.links.append(Link(builder.length, builder.length, str(href), src(max(bracket, 0))))
        elif t == "link_close":
            last = doc.links[-1]
            doc.links[-1] = Link(last.start, builder.length, last.href, last.source_offset)
            cursor = _skip_link_tail(content, cursor)
        elif t == "image":
            bang = content.find("![", cursor)
            if bang != -1:
                cursor = _skip_link_tail(content, _skip_balanced(content, bang + 1, "[", "]") - 1)
        elif t == "html_inline":
            at = content.find(child.content, cursor)
            if at != -1:
                cursor = at + len(child.content)
                if DIRECTIVE_RE.match(child.content):
                    doc.comments.append(Comment(src(at), src(cursor - 1) + 1, child.content))
        elif t == "footnote_ref":
            label = child.meta.get("label", "")
            at = content.find(f"[^{label}]", cursor)
            if at != -1:
                doc.footnote_refs.append(FootnoteRef(label, src(at)))
                cursor = at + len(label) + 3
        # emphasis and strikethrough markers are stepped over by _align


def _find_closing_ticks(content: str, j: int, ticks: str) -> int:
    n, width = len(content), len(ticks)
    while j < n:
        k = content.find(ticks, j)
        if k == -1:
            return n
        end = k + width
        if (k == 0 or content[k - 1] != "`") and (end >= n or content[end] != "`"):
            return end
        while end < n and content[end] == "`":
            end += 1
        j = end
    return n
