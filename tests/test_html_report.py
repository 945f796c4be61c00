"""--format html, rendered by a real headless Chromium (Debian's `chromium`, installed by .ci/run).

Chromium is run twice, as plain command lines (no driver library): `--dump-dom` prints the DOM
after the page has loaded (and any script would have run), which Python's html.parser reads;
`--screenshot` saves a picture of the page to .test-artifacts/ for people to look at."""
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hltest import MIRACLE_MSG, write

from healthlint.model import Severity, Violation

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("HEALTHLINT_TEST_ARTIFACTS", ROOT / ".test-artifacts"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HYPE_MSG = '"revolutionary" is hype; say what is new and how large the benefit is'
ARTICLE = """\
---
title: Turmeric facts
author: A. Writer
---
# Turmeric <b>facts</b>

Some call it a miracle cure <script>document.body.setAttribute("data-pwned", "yes")</script> & more.

- Click [here](javascript:document.body.setAttribute("data-pwned","link")) for a revolutionary pill.
- Read more at https://www.nhs.uk/conditions/ today.

## What it does
"""
def _chromium(tmp_path, *args) -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it with apt-get)")
        pytest.skip("chromium is not installed")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             f"--user-data-dir={tmp_path / 'chromium-profile'}"]
    done = subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


class DOM(HTMLParser):
    """What the test needs from the rendered DOM: marks, links, scripts, attributes on <body>, and
    the rendered article's elements and visible text in order."""

    def __init__(self):
        super().__init__()
        self.marked: dict[str, str] = {}   # finding id -> the text highlighted for it
        self.open: list[list[str]] = []    # finding ids of the <mark>s we are inside
        self.hrefs, self.tags, self.body = [], [], {}
        self.titles: dict[str, str] = {}
        self.depth = 0                      # elements open inside the first <div class="rendered">, + 1
        self.rendered: list[str] = []       # its start tags ("<h3>", '<li id="a1-f1">') and text, in order
        self.done_rendering = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if self.depth:
            self.depth += tag not in ("br", "img", "meta")
            self.rendered.append(f"<{tag} id={attrs['id']}>" if "id" in attrs else f"<{tag}>")
        elif attrs.get("class") == "rendered" and not self.done_rendering:
            self.depth = 1
        if tag == "body":
            self.body = attrs
        if tag == "a":
            self.hrefs.append(attrs.get("href"))
        if tag == "mark":
            ids = attrs["data-findings"].split()
            self.open.append(ids)
            for ident in ids:
                self.titles[ident] = attrs["title"]

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.done_rendering = not self.depth
        if tag == "mark":
            self.open.pop()

    def handle_data(self, data):
        if self.depth:
            self.rendered.append(data)
        for ids in self.open:
            for ident in ids:
                self.marked[ident] = self.marked.get(ident, "") + data


def _pixels(png: bytes) -> set[tuple[int, int, int]]:
    """The colours in an 8-bit RGB or RGBA PNG without interlacing (what Chromium writes)."""
    import struct
    import zlib
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, data = 8, b""
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        chunk = png[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and colour in (2, 6) and not interlace
        elif kind == b"IDAT":
            data += chunk
        at += 12 + length
    size = 3 if colour == 2 else 4
    raw, stride, previous, colours = zlib.decompress(data), width * size, bytearray(width * size), set()
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up, corner = previous[x], previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                best = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
                line[x] = (line[x] + best[2]) & 255
        colours.update(tuple(line[x:x + 3]) for x in range(0, stride, size))
        previous = line
    return colours


def test_html_report_in_headless_chromium(run, tmp_path):
    write(tmp_path / "turmeric.md", ARTICLE)
    write(tmp_path / "calm.txt", "Ginger may ease nausea for some people.\n")
    result = run("turmeric.md", "calm.txt", "--format", "html", "--output", "report.html",
                 "--select", "HL101,HL102")
    assert result.exit_code == 1
    assert result.stdout == "Found 2 problems (1 warning, 1 info) in 2 files checked.\n"
    page = tmp_path / "report.html"

    dom = DOM()
    dom.feed(_chromium(tmp_path, "--dump-dom", page.as_uri()))
    # highlights sit on exactly the words each finding is about, with the message as a tooltip
    assert dom.marked == {"a1-f1": "miracle cure", "a1-f2": "revolutionary"}
    assert dom.titles == {"a1-f1": f"HL101 absolute-claim: {MIRACLE_MSG}", "a1-f2": f"HL102 hype-word: {HYPE_MSG}"}
    # the article's script and javascript: link are text: nothing ran, no link leaves the page
    assert dom.tags.count("script") == 0 and "data-pwned" not in dom.body
    assert all(href.startswith("#") for href in dom.hrefs)
    assert "#rule-HL101" in dom.hrefs and "#rule-HL102" in dom.hrefs
    # the article as a reader sees it: front matter as a small table, headings, a list, link
    # text and addresses, no Markdown; each message right after the block it is about
    shown = dom.rendered
    words = "".join(part for part in shown if not part.startswith("<"))
    assert "#" not in words.replace("https://www.nhs.uk", "") and "---" not in words and "- Click" not in words
    elements = [part for part in shown if part.startswith("<")]
    assert elements[:7] == ["<table>", "<tbody>", "<tr>", "<th>", "<td>", "<tr>", "<th>"]
    assert shown[shown.index("<h3>") + 1] == "Turmeric facts" and shown[shown.index("<h4>") + 1] == "What it does"
    first_note = shown.index("<li id=a1-f1>")
    assert shown.index("<mark>") < first_note < shown.index("<ul>")
    items = [i for i, part in enumerate(shown) if part == "<li>"]
    assert len(items) == 2 and shown[items[0] + 1:items[0] + 3] == ["Click ", "<span>"]
    assert "Read more at https://www.nhs.uk/conditions/ today." in words
    assert items[1] < shown.index("<li id=a1-f2>") < shown.index("<h4>")
    assert "warning line 7: " + MIRACLE_MSG + "." in words
    text = page.read_text(encoding="utf-8")
    assert 'document.body.setAttribute(&quot;data-pwned&quot;, &quot;yes&quot;)' in text
    assert '<span class="link" title="javascript:document.body.setAttribute' in text
    assert '<td><a href="#rule-HL101">HL101 absolute-claim</a></td><td>warning</td><td>1</td>' in text
    assert '<p id="totals">2 findings in 2 articles (0 errors, 1 warning, 1 info).</p>' in text

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n", encoding="utf-8")
    shot = ARTIFACTS / "html-report.png"
    shot.unlink(missing_ok=True)
    _chromium(tmp_path, "--window-size=1000,1400", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri())
    colours = _pixels(shot.read_bytes())
    # the highlights and the note boxes are on the picture, in the page's colours
    assert {(0xff, 0xee, 0xcc), (0xdd, 0xee, 0xff), (0xf6, 0xf6, 0xf6)} <= colours


def test_html_summary_scores_each_article(run, tmp_path):
    write(tmp_path / "a.md", "Ginger may ease nausea for some people. Ask a pharmacist first.\n")
    result = run("a.md", "--format", "html")
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if line.startswith('<tr><td><a href="#article-1">'))
    assert row == '<tr><td><a href="#article-1">a.md</a></td><td>0</td><td>11</td><td>3.7</td><td>7.2</td><td>5.8</td></tr>'


def _quadratic_highlighted(source, spans):
    """The page's highlighting by its definition, piece by piece over every finding (the former
    implementation, which took 82 s for 32,000 findings): the oracle for the one-sweep version."""
    from healthlint.html_report import _e, _note_text
    cuts = sorted({0, len(source), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        out.extend(f'<a class="ref" href="#{ident}">{n}</a>' for s, e, ident, v, n in spans if e == a)
        covering = [(ident, v) for s, e, ident, v, n in spans if s <= a and b <= e]
        piece = _e(source[a:b])
        if covering:
            level = max(v.severity for _, v in covering)
            piece = (f'<mark class="{level}" data-findings="{" ".join(i for i, _ in covering)}" '
                     f'title="{_e(chr(10).join(_note_text(v) for _, v in covering))}">{piece}</mark>')
        out.append(piece)
    out.extend(f'<a class="ref" href="#{ident}">{n}</a>' for s, e, ident, v, n in spans if e == len(source))
    return "".join(out)


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(source=st.text(alphabet="ab\n\u202e\x1b<&", max_size=30),
       cuts=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(list(Severity))), max_size=12))
def test_highlighting_in_one_sweep_is_the_same_as_by_definition(source, cuts):
    from healthlint.html_report import _highlighted
    spans = [(s, min(s + length, len(source)), f"a1-f{k}",
              Violation("a.md", 1, 1, 1, 1, "HL101", "absolute-claim", sev, f"message {k}"), k)
             for k, (s, length, sev) in enumerate(cuts, 1) if s < len(source)]
    assert _highlighted(source, spans) == _quadratic_highlighted(source, spans)


def test_many_findings_are_each_highlighted_on_their_own_words():
    from healthlint.formatters import Context, format_html
    lines = 3000
    source = "".join(f"Line {i} calls it a miracle cure, they say.\n" for i in range(1, lines + 1))
    found = []
    for i, text in enumerate(source.splitlines(), 1):
        col = text.index("miracle") + 1
        found.append(Violation("a.md", i, col, i, col + 12, "HL101", "absolute-claim", Severity.WARNING, f"claim {i}"))
        if i % 3 == 0 and i < lines:  # overlaps the claim and runs on to the next line
            found.append(Violation("a.md", i, 1, i + 1, 5, "HL102", "hype-word", Severity.INFO, f"long {i}"))
        if i % 500 == 0:  # about the whole article: no highlight
            found.append(Violation("a.md", 1, 1, 1, 1, "HL120", "no-date", Severity.ERROR, f"whole {i}"))
    page = format_html(found, Context(files=["a.md"], sources={"a.md": source}))
    dom = DOM()
    dom.feed(page)
    starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
    spans = {f"a1-f{k}": v for k, v in enumerate(found, 1) if v.code != "HL120"}
    assert set(dom.marked) == set(spans)
    for k in [1, 2, 3, 4, 5, *range(7, len(found) + 1, 97), len(found)]:
        ident, v = f"a1-f{k}", found[k - 1]
        assert page.count(f'<li id="{ident}" value="{k}">') == 1
        if v.code == "HL120":   # listed above the article, with no number in the text
            assert ident not in dom.marked and f'href="#{ident}"' not in page
            continue
        assert page.count(f'<a class="ref" href="#{ident}">{k}</a>') == 1
        start, end = starts[v.line - 1] + v.column - 1, starts[v.end_line - 1] + v.end_column - 1
        assert dom.marked[ident] == source[start:end].replace("\n", " "), ident  # one paragraph
        assert f"{v.code} {v.rule}: {v.message}" in dom.titles[ident].split("\n")
