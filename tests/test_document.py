"""The document model: prose, the prose -> source offset map, and line:column positions.

A property test builds Markdown from realistic pieces and checks that every prose
character maps back to the same character in the source. The generator keeps the two
apart by alphabet: words a reader sees are lower-case (with accents, CJK and emoji),
while everything that must not become prose (code, URLs, titles, HTML, front matter,
labels) is upper-case ASCII. So a wrong mapping into markup shows up as a character
mismatch, and any upper-case letter in the prose is text that leaked from markup.
"""
import html
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from healthlint.document import parse
from healthlint.files import decode

MARKERS = ("CODEWORD", "URLWORD", "FMWORD", "HTMLWORD", "ALTWORD", "TITLEWORD")

# --- helpers -------------------------------------------------------------


def source_lines(text: str) -> list[str]:
    """The file's lines as an editor shows them (any of \\r\\n, \\r, \\n ends a line)."""
    return re.split(r"\r\n|\r|\n", text)


def find_all(doc, word: str) -> list[tuple[int, int]]:
    """(line, column) of every occurrence of `word` in the prose."""
    out, i = [], doc.prose.find(word)
    while i != -1:
        out.append(doc.position(doc.prose_map[i]))
        i = doc.prose.find(word, i + 1)
    return out


def where(text: str, word: str, path: str = "case.md") -> list[tuple[int, int]]:
    return find_all(parse(path, text), word)


def check_map(doc, text: str, *, entities: bool = False) -> None:
    """The invariants every parsed document keeps.

    `text` is what the reader handed to parse (line ends not yet normalised).
    """
    src, prose, pmap = doc.source, doc.prose, doc.prose_map
    assert len(pmap) == len(prose)
    lines = source_lines(text)
    assert doc.line_count == len(lines)
    for i, ch in enumerate(prose):
        o = pmap[i]
        assert 0 <= o <= len(src), (i, ch, o)
        line, col = doc.position(o)
        assert 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1, (i, ch, o, line, col)
        if ch.isspace():
            continue
        assert o < len(src), (i, ch, o)
        if entities and src[o] == "&" and ch != "&":
            entity = re.match(r"&#?\w+;", src[o:])
            assert entity and ch in html.unescape(entity.group(0)), (i, ch, src[o:o + 12])
            continue
        assert src[o] == ch, (i, ch, o, src[max(0, o - 10):o + 10])
        assert lines[line - 1][col - 1] == ch, (i, ch, line, col)
    for block in doc.blocks:
        assert 0 <= block.start < block.end <= len(prose)
        span = pmap[block.start:block.end]
        assert all(a <= b for a, b in zip(span, span[1:])), (block, prose[block.start:block.end])
        assert "\n\n" not in prose[block.start:block.end]
        assert all(o < len(src) for o in span), block


# --- the generator -------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzéüßøçñ"
SPECIAL_WORDS = ["café", "über", "straße", "naïve", "漢字", "健康", "😀", "🩺", "e\u0301", "ok👍"]

word = st.one_of(
    st.text(alphabet=LETTERS, min_size=1, max_size=8),
    st.sampled_from(SPECIAL_WORDS),
)


@st.composite
def plain_word(draw):
    return draw(word) + draw(st.sampled_from(["", "", "", ".", ",", "!", "?", ":", ";"]))


@st.composite
def words(draw, min_size=1, max_size=4):
    return " ".join(draw(st.lists(word, min_size=min_size, max_size=max_size)))


URL = st.sampled_from([
    "HTTP://EXAMPLE.COM/URLWORD",
    "HTTPS://EXAMPLE.ORG/A/URLWORD?Q=1&R=2",
    "/URLWORD/PAGE.HTML",
    "URLWORD.HTML#SECTION",
])


@st.composite
def inline_piece(draw):
    kind = draw(st.sampled_from([
        "word", "word", "word", "word", "word", "em", "strong", "under", "strike", "code", "code2",
        "link", "link_title", "link_em", "link_em_end", "link_code", "ref_full", "ref_short", "autolink", "email",
        "bare", "www", "image", "span", "br", "comment", "footnote",
    ]))
    if kind == "word":
        return draw(plain_word())
    if kind == "em":
        return f"*{draw(words())}*"
    if kind == "strong":
        return f"**{draw(words())}**"
    if kind == "under":
        return f"_{draw(word)}_"
    if kind == "strike":
        return f"~~{draw(words())}~~"
    if kind == "code":
        return f"`CODEWORD {draw(st.sampled_from(['X', 'Y = 1', '*NOT*', '[A](B)']))}`"
    if kind == "code2":
        return "`` CODEWORD ` X ``"
    if kind == "link":
        return f"[{draw(words())}]({draw(URL)})"
    if kind == "link_title":
        return f'[{draw(words())}]({draw(URL)} "TITLEWORD AND MORE")'
    if kind == "link_em":
        return f"[*{draw(word)}* {draw(word)}]({draw(URL)})"
    if kind == "link_em_end":
        return draw(st.sampled_from([
            f'[{draw(word)} *{draw(word)}*]({draw(URL)} "TITLEWORD")',
            f"[**{draw(words())}**][REF1]",
            f"[~~{draw(word)}~~]({draw(URL)})",
            f"[_{draw(word)}_]({draw(URL)} 'TITLEWORD')",
        ]))
    if kind == "link_code":
        return f"[{draw(word)} `CODEWORD`]({draw(URL)})"
    if kind == "ref_full":
        return f"[{draw(words())}][REF{draw(st.integers(1, 2))}]"
    if kind == "ref_short":
        return "[shortref]"
    if kind == "autolink":
        return "<HTTPS://EXAMPLE.COM/URLWORD>"
    if kind == "email":
        return "<URLWORD@EXAMPLE.COM>"
    if kind == "bare":
        return draw(st.sampled_from(["HTTPS://EXAMPLE.COM/URLWORD", "HTTP://URLWORD.EXAMPLE.COM/X?Y=Z",
                                     "(HTTPS://EXAMPLE.COM/URLWORD)", "HTTPS://EXAMPLE.COM/URLWORD."]))
    if kind == "www":
        return "WWW.EXAMPLE.COM/URLWORD"
    if kind == "image":
        return draw(st.sampled_from(["![ALTWORD](IMG/URLWORD.PNG)", '![ALTWORD TOO](URLWORD.JPG "TITLEWORD")']))
    if kind == "span":
        return f'<span class="HTMLWORD">{draw(words())}</span>'
    if kind == "br":
        return "<br>"
    if kind == "comment":
        return "<!-- HTMLWORD -->"
    assert kind == "footnote"
    return f"[^{draw(st.integers(1, 2))}]"


@st.composite
def inline_line(draw, max_pieces=5):
    pieces = draw(st.lists(inline_piece(), min_size=1, max_size=max_pieces))
    # the first piece is a word, so a line never opens like a block (HTML, a list...)
    out = draw(plain_word())
    for piece in pieces:
        out += draw(st.sampled_from([" ", " ", " ", "\t", "  "])) + piece
    return out


@st.composite
def paragraph(draw):
    lines = [draw(inline_line())]
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            lines[-1] += "  "  # hard break
        lines.append(draw(st.sampled_from(["", "", " ", "\t"])) + draw(inline_line()))
    return lines


@st.composite
def atx_heading(draw):
    level = draw(st.integers(1, 6))
    closing = draw(st.sampled_from(["", "", " " + "#" * level, " ##"]))
    return ["#" * level + " " + draw(inline_line(3)) + closing]


@st.composite
def setext_heading(draw):
    lines = [draw(inline_line(3))]
    if draw(st.booleans()):
        lines.append(draw(inline_line(2)))
    return lines + [draw(st.sampled_from(["===", "---", "=====", "  ---"]))]


@st.composite
def table(draw):
    cols = draw(st.integers(1, 3))
    pipes = draw(st.booleans()) or cols == 1

    def row(cells):
        body = " | ".join(cells)
        return f"| {body} |" if pipes else body

    def cell():
        return draw(st.one_of(plain_word(), inline_line(2)))

    rows = [row([cell() for _ in range(cols)])]
    rows.append(row([draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(cols)]))
    for _ in range(draw(st.integers(0, 3))):
        rows.append(row([cell() for _ in range(cols)]))
    return rows


@st.composite
def fenced_code(draw):
    fence = draw(st.sampled_from(["```", "~~~", "````"]))
    info = draw(st.sampled_from(["", "PYTHON", "TEXT CODEWORD"]))
    body = draw(st.lists(st.sampled_from(["CODEWORD", "CODEWORD = 1", "", "  CODEWORD(X)", "\tCODEWORD"]),
                         min_size=0, max_size=3))
    return [fence + info, *body, fence]


@st.composite
def indented_code(draw, depth=0):
    # a tab reaches the next tab stop, which is not 4 columns past a container's indent
    indent = draw(st.sampled_from(["    ", "\t", "      "] if depth == 0 else ["    ", "      "]))
    return [indent + line for line in
            draw(st.lists(st.sampled_from(["CODEWORD", "CODEWORD = [1]", "CODEWORD *X*"]), min_size=1, max_size=3))]


@st.composite
def html_block(draw):
    return draw(st.sampled_from([
        ['<div class="HTMLWORD">', "HTMLWORD TEXT", "</div>"],
        ["<!-- HTMLWORD", "HTMLWORD -->"],
        ["<!-- healthlint-disable HL100 -->"],
        ["<table><tr><td>HTMLWORD</td></tr></table>"],
    ]))


def indent(lines, first, rest):
    return [(first if k == 0 else rest) + line if line else line for k, line in enumerate(lines)]


@st.composite
def blockquote(draw, depth):
    inner = draw(blocks(depth + 1))
    return [">" if not line else "> " + line for line in inner]


@st.composite
def bullet_list(draw, depth):
    ordered = draw(st.booleans())
    marker = draw(st.sampled_from([".", ")"])) if ordered else draw(st.sampled_from(["-", "*", "+"]))
    out = []
    for n in range(1, draw(st.integers(1, 3)) + 1):
        bullet = f"{n}{marker}" if ordered else marker
        item = draw(blocks(depth + 1, first_paragraph=True))
        if out:
            out.append("")
        out.extend(indent(item, bullet + " ", " " * (len(bullet) + 1)))
    return out


@st.composite
def blocks(draw, depth=0, first_paragraph=False):
    simple = [paragraph(), paragraph(), atx_heading(), setext_heading(), table(),
              fenced_code(), indented_code(depth), html_block()]
    nested = [blockquote(depth), bullet_list(depth)] if depth < 3 else []
    kinds = draw(st.lists(st.sampled_from(range(len(simple) + len(nested))), min_size=1, max_size=4))
    chosen = []
    for k in kinds:
        if k < len(simple):
            chosen.append((k, draw(simple[k])))
        else:
            chosen.append((k, draw(nested[k - len(simple)])))
    if first_paragraph and chosen[0][0] != 0:
        chosen.insert(0, (0, draw(paragraph())))
    out: list[str] = []
    prev = None
    for k, lines in chosen:
        # indented code right after a list would continue the last item: part a paragraph in between
        if k == 6 and (prev is None or prev == len(simple) + 1):
            out.extend(draw(paragraph()) + [""])
        out.extend(lines + [""])
        prev = k
    return out[:-1]


@st.composite
def front_matter(draw):
    return draw(st.sampled_from([
        [],
        [],
        ["---", "TITLE: FMWORD", "TAGS: [FMWORD, X]", "---"],
        ["---", "TITLE: FMWORD", "..."],
        ["---", "---"],
        ["+++", 'TITLE = "FMWORD"', "+++"],
    ]))


@st.composite
def markdown_document(draw):
    """Markdown text as a reader hands it to parse: line ends as written, BOM removed."""
    lines = draw(front_matter())
    if lines and draw(st.booleans()):
        lines.append("")
    lines += draw(blocks())
    lines += ["", "[REF1]: HTTP://EXAMPLE.COM/URLWORD \"TITLEWORD\"", "[REF2]: <HTTP://URLWORD.COM>",
              "[shortref]: /URLWORD"]
    lines += ["", f"[^1]: {draw(inline_line(2))}", "", f"[^2]: {draw(words())}"]
    eol = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    if eol == "mixed":
        text = "".join(line + draw(st.sampled_from(["\n", "\r\n"])) for line in lines)
    else:
        text = eol.join(lines) + draw(st.sampled_from([eol, ""]))
    if draw(st.booleans()):  # written with a BOM: the reader strips it
        text = decode(("\ufeff" + text).encode("utf-8"), 10**7)
    return text


FAST = settings(max_examples=250, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- properties ----------------------------------------------------------

# markup the generator writes on prose lines: link targets and titles, code spans,
# tags, comments and autolinks, reference and footnote labels
HIDDEN_RE = re.compile(r"\]\([^)\n]*\)|`+ ?CODEWORD[^`]*`+|<[^>\n]*>|\[(?:REF\d|\^\d)\]")


@FAST
@given(markdown_document())
# found by this test: the first cell of a table without outer pipes mapped to the last cell
@example("a | a | a\n--- | --- | ---\n\n[REF1]: HTTP://EXAMPLE.COM/URLWORD \"TITLEWORD\"\n")
# found by this test: a link whose text ends in emphasis left `](url "title")` unskipped,
# so the next words were aligned inside the title
@example('[a *b*](/URLWORD "TITLEWORD A") b\n')
def test_markdown_prose_maps_back_to_the_same_characters(text):
    doc = parse("case.md", text)
    check_map(doc, text)
    hidden = {o for m in HIDDEN_RE.finditer(doc.source) for o in range(*m.span())}
    for block in doc.blocks:
        for i in range(block.start, block.end):
            assert doc.prose_map[i] not in hidden, (repr(doc.prose[i]), doc.position(doc.prose_map[i]))
    for marker in MARKERS:
        assert marker not in doc.prose
    assert not re.search("[A-Z]", doc.prose), "markup leaked into the prose"
    assert not text.startswith("\ufeff")


@st.composite
def escaped_text(draw):
    """Paragraphs and headings with HTML entities and backslash escapes."""
    piece = st.one_of(
        plain_word(), plain_word(),
        st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&copy;", "&eacute;", "&#233;", "&#x1F600;",
                         "&nbsp;", "&frac12;", "&amp;amp;", "AT&T", "&bogus;"]),
        st.sampled_from(["\\*", "\\_", "\\[", "\\]", "\\`", "\\&amp;", "\\\\", "\\#", "\\<", "\\!", "\\|"]),
        st.builds(lambda w: f"*{w} &amp; {w}*", word),
        st.builds(lambda w: f"[{w} &lt; {w}](HTTP://URLWORD.COM?A=1&amp;B=2)", word),
        st.builds(lambda w: f"`CODEWORD &amp; \\*` {w}", word),
    )
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        line = draw(plain_word()) + "".join(" " + draw(piece) for _ in range(draw(st.integers(1, 6))))
        prefix = draw(st.sampled_from(["", "", "# ", "> ", "- ", "| "]))
        if prefix == "| ":
            lines += [f"| {line} | x |", "|---|---|", f"| {line} | {line} |"]
        else:
            lines.append(prefix + line)
        lines.append("")
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


@FAST
@given(escaped_text())
# found by this test: a cell "a \\| a" was matched across the cell border, in "\\| a | a"
@example("| a \\| a | x |\n|---|---|\n| a \\| a | a \\| a |\n")
def test_entities_and_escapes_map_to_where_they_are_written(text):
    doc = parse("case.md", text)
    check_map(doc, text, entities=True)
    assert "URLWORD" not in doc.prose and "CODEWORD" not in doc.prose


@st.composite
def plain_document(draw):
    paras = []
    for _ in range(draw(st.integers(1, 4))):
        lines = [" ".join(draw(st.lists(st.one_of(plain_word(), st.sampled_from(
            ["HTTPS://EXAMPLE.COM/URLWORD", "WWW.URLWORD.COM", "URLWORD@EXAMPLE.COM", "<!-- healthlint-disable -->"])),
            min_size=1, max_size=6)))
            for _ in range(draw(st.integers(1, 3)))]
        paras.append(indent(lines, "", draw(st.sampled_from(["", "  ", "\t"]))))
    sep = draw(st.sampled_from(["\n", "\r\n"]))
    return (sep + draw(st.sampled_from(["", "  ", "\t"])) + sep).join(sep.join(p) for p in paras) + sep


@FAST
@given(plain_document())
def test_plain_text_prose_maps_back_to_the_same_characters(text):
    doc = parse("notes.txt", text)
    check_map(doc, text)
    assert "URLWORD" not in doc.prose and "healthlint" not in doc.prose


# --- exact positions -----------------------------------------------------

def test_crlf_positions():
    text = "# Title\r\n\r\nFirst line\r\nsecond target here.\r\n\r\nAnd target.\r\n"
    assert where(text, "target") == [(4, 8), (6, 5)]
    assert where(text, "Title") == [(1, 3)]


def test_crlf_plain_text():
    text = "One para\r\ntarget.\r\n\r\nTwo target\r\n"
    assert where(text, "target", "a.txt") == [(2, 1), (4, 5)]


def test_tab_before_the_word_counts_one_column():
    assert where("Some\ttarget here.\n", "target") == [(1, 6)]
    assert where("Some text\n\ttarget on a continuation line.\n", "target") == [(2, 2)]
    assert where("Some\ttarget here.\n", "target", "a.txt") == [(1, 6)]


def test_non_ascii_counts_one_column_per_character():
    assert where("é target\n", "target") == [(1, 3)]
    assert where("😀 target\n", "target") == [(1, 3)]     # one Python character, one column
    assert where("日本語 😀é target\n", "target") == [(1, 8)]
    assert where("e\u0301 target\n", "target") == [(1, 4)]  # a combining accent is a character too
    assert where("😀 target\n", "target", "a.txt") == [(1, 3)]


def test_blockquote_inside_a_list():
    text = "- item target\n\n  > quoted\n  > target inside\n"
    assert where(text, "target") == [(1, 8), (4, 5)]
    text = "1. one\n   - two\n     > > deep target\n"
    assert where(text, "target") == [(3, 15)]


def test_table_cell_after_a_cell_with_the_same_word():
    text = "| a | b |\n|---|---|\n| target | target |\n"
    assert where(text, "target") == [(3, 3), (3, 12)]


def test_table_without_outer_pipes():
    # regression: the first cell was mapped to the last cell's text ("ends with" shortcut)
    text = "a | b\n--|--\ntarget | target\n"
    assert where(text, "target") == [(3, 1), (3, 10)]
    text = "h1 | h2\n--- | ---\nword | x word\n"
    assert where(text, "word") == [(3, 1), (3, 10)]


def test_escaped_pipes_in_table_cells():
    # regression: an escaped pipe (`\\|`) in a cell is one character of prose, mapped to the pipe
    doc = parse("a.md", "| a \\| b | x |\n|---|---|\n| a \\| a | a \\| a |\n")
    assert [doc.text(b) for b in doc.blocks] == ["a | b", "x", "a | a", "a | a"]
    cells = [[doc.position(doc.prose_map[i]) for i in range(b.start, b.end)] for b in doc.blocks]
    assert cells[0] == [(1, 3), (1, 4), (1, 6), (1, 7), (1, 8)]
    assert cells[2] == [(3, 3), (3, 4), (3, 6), (3, 7), (3, 8)]
    assert cells[3] == [(3, 12), (3, 13), (3, 15), (3, 16), (3, 17)]


def test_word_after_an_entity():
    doc = parse("a.md", "Salt &amp; target.\n")
    assert doc.prose.startswith("Salt & target")
    assert find_all(doc, "target") == [(1, 12)]
    assert doc.position(doc.prose_map[doc.prose.index("&")]) == (1, 6)
    assert where("&copy; &#233; target\n", "target") == [(1, 15)]


def test_word_after_a_backslash_escape():
    doc = parse("a.md", "A \\*star\\* target\n")
    assert doc.prose.startswith("A *star* target")
    assert find_all(doc, "target") == [(1, 12)]
    assert doc.position(doc.prose_map[doc.prose.index("*")]) == (1, 4)


def test_word_after_inline_code_with_the_same_word():
    text = "Use `target` then target.\n"
    doc = parse("a.md", text)
    assert "`" not in doc.prose
    assert find_all(doc, "target") == [(1, 19)]
    assert where("``a `target` b`` target\n", "target") == [(1, 18)]


def test_link_text_and_not_the_url():
    text = "See [target](https://example.com/target \"target\") and target.\n"
    assert where(text, "target") == [(1, 6), (1, 55)]
    doc = parse("a.md", text)
    assert doc.links[0].href == "https://example.com/target"
    assert doc.text((doc.links[0].start, doc.links[0].end)) == "target"


def test_link_text_ending_in_emphasis_then_a_word_from_the_title():
    # regression: the `](url "title")` tail was not skipped after a closing `*`
    text = '[a *b*](/u "the title") title\n'
    doc = parse("a.md", text)
    assert doc.prose.startswith("a b title")
    assert find_all(doc, "title") == [(1, 25)]


def test_reference_link_and_definition():
    text = "See [target][r] now.\n\n[r]: https://example.com/target\n"
    doc = parse("a.md", text)
    assert "example" not in doc.prose
    assert find_all(doc, "target") == [(1, 6)]


def test_setext_heading():
    text = "Intro text\n\nThe target\n==========\n\nMore target\n---\n"
    doc = parse("a.md", text)
    assert find_all(doc, "target") == [(3, 5), (6, 6)]
    assert [b.heading_level for b in doc.headings] == [1, 2]


def test_text_after_yaml_front_matter():
    text = "---\ntitle: target\n---\n\n# Heading\n\nBody target.\n"
    doc = parse("a.md", text)
    assert doc.front_matter_kind == "yaml" and doc.metadata == {"title": "target"}
    assert find_all(doc, "target") == [(7, 6)]
    assert where("---\ntitle: x\n...\nBody target.\n", "target") == [(4, 6)]


def test_text_after_toml_front_matter():
    text = "+++\ntitle = \"target\"\n+++\nBody target.\r\n"
    doc = parse("a.md", text)
    assert doc.front_matter_kind == "toml" and doc.metadata == {"title": "target"}
    assert find_all(doc, "target") == [(4, 6)]


def test_bom_is_stripped_by_the_reader():
    text = decode("\ufeff# 😀 target\n".encode("utf-8"), 10**6)
    assert where(text, "target") == [(1, 5)]


def test_plain_text_paragraphs():
    # regression: an all-space line did not end a paragraph; the next block began with spaces
    text = "First para line one\nline two target.\n\n\nSecond target para.\n  \nThird: target\n"
    doc = parse("notes.txt", text)
    assert [doc.text(b) for b in doc.blocks] == [
        "First para line one line two target.", "Second target para.", "Third: target"]
    assert find_all(doc, "target") == [(2, 10), (5, 8), (7, 8)]


def test_plain_text_urls_are_not_prose():
    doc = parse("notes.txt", "See https://example.com/target or www.target.org, then target.\n")
    assert find_all(doc, "target") == [(1, 56)]


@pytest.mark.parametrize("text", [
    "```\ntarget\n```\n",
    "    target\n",
    "<div>\ntarget\n</div>\n",
    "[x]: https://target.example\n",
    "![target](target.png)\n",
    "<https://target.example>\n",
    "https://target.example/x\n",
    "---\ntarget: 1\n---\n",
    "<!-- target -->\n",
])
def test_no_prose_from_markup(text):
    assert "target" not in parse("a.md", text).prose


def test_a_thematic_break_at_the_top_is_not_front_matter():
    doc = parse("a.md", "---\n\nA miracle cure here.\n\n---\n\nMore.\n")
    assert doc.front_matter is None
    assert [doc.text(b) for b in doc.blocks] == ["A miracle cure here.", "More."]


def test_front_matter_starting_with_prose_is_a_setext_heading_not_metadata():
    doc = parse("a.md", "---\nNot metadata\n---\n\nText.\n")
    assert (doc.front_matter, [doc.text(b) for b in doc.blocks]) == (None, ["Not metadata", "Text."])
