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
# Turmeric <b>facts</b>

Some call it a miracle cure <script>document.body.setAttribute("data-pwned", "yes")</script> & more.

Click [here](javascript:document.body.setAttribute("data-pwned","link")) for a revolutionary pill.
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
    """What the test needs from the rendered DOM: marks, links, scripts, attributes on <body>."""

    def __init__(self):
        super().__init__()
        self.marked: dict[str, str] = {}   # finding id -> the text highlighted for it
        self.open: list[list[str]] = []    # finding ids of the <mark>s we are inside
        self.hrefs, self.tags, self.body = [], [], {}
        self.titles: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
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
        if tag == "mark":
            self.open.pop()

    def handle_data(self, data):
        for ids in self.open:
            for ident in ids:
                self.marked[ident] = self.marked.get(ident, "") + data


def test_html_report_in_headless_chromium(run, tmp_path):
    write(tmp_path / "turmeric.md", ARTICLE)
    write(tmp_path / "calm.txt", "Ginger may ease nausea for some people.\n")
    result = run("turmeric.md", "calm.txt", "--format", "html", "--output", "report.html")
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
    text = page.read_text(encoding="utf-8")
    assert '&lt;script&gt;document.body.setAttribute(&quot;data-pwned&quot;, &quot;yes&quot;)&lt;/script&gt;' in text
    assert "[here](javascript:document.body" in text
    assert '<td><a href="#rule-HL101">HL101 absolute-claim</a></td><td>warning</td><td>1</td>' in text
    assert '<p id="totals">2 findings in 2 articles (0 errors, 1 warning, 1 info).</p>' in text

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n", encoding="utf-8")
    shot = ARTIFACTS / "html-report.png"
    shot.unlink(missing_ok=True)
    _chromium(tmp_path, "--window-size=1000,1400", f"--screenshot={shot}", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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
        assert page.count(f'<a class="ref" href="#{ident}">{k}</a>') == 1
        if v.code == "HL120":
            assert ident not in dom.marked
            continue
        start, end = starts[v.line - 1] + v.column - 1, starts[v.end_line - 1] + v.end_column - 1
        assert dom.marked[ident] == source[start:end], ident
        assert f"{v.code} {v.rule}: {v.message}" in dom.titles[ident].split("\n")
