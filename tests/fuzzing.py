"""What the fuzz test (tests/test_fuzz.py) and the long fuzz script (scripts/fuzz.py) share: a
hypothesis strategy for messy articles (suppression comments included, well and badly formed),
and one check that lints a text with every rule but grammar and renders every output format.
check() raises AssertionError on any problem."""
from __future__ import annotations

import json
import xml.dom.minidom
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

from healthlint.config import Config, resolve
from healthlint.engine import lint_text
from healthlint.formatters import FORMATTERS, Context
from healthlint.registry import build_registry
from healthlint.suppress import DIRECTIVES

REGRESSIONS = Path(__file__).parent / "data" / "fuzz-regressions"

# pieces a writer's (or a word processor's) text is made of
HEALTH = [
    "Turmeric cures cancer.", "This supplement is 100% safe and proven to work.", "Studies show it works [1].",
    "Doctors hate this miracle cure!", "Take 5000 mg daily.", "It reduces the risk by 50%.", "Ask your doctor.",
    "Side effects include nausea.", "It causes autism.", "Vaccines are linked to autism according to research.",
    "It will not cure cancer.", "\"Miracle cure,\" they said.", "Is it a miracle cure?", "the patient suffers from",
    "A diabetic should", "Buy now!", "Updated: 2001-01-01.", "See [the study](https://example.org/x).",
    "[^1]", "[^1]: A footnote.", "[broken][ref]", "Hypertension (high blood pressure) is common.",
    "Statins lower cholesterol; costs vary; alternatives exist.", "I tried it and it changed my life.",
]
# suppression comments (healthlint/suppress.py): "<!--", a directive, its rules, "-->"; every piece
# also comes badly formed (an unknown directive or rule, no end, a word that is not a directive)
DIRECTIVE_NAMES = sorted(DIRECTIVES) + [
    "healthlint-frobnicate", "healthlint-", "healthlint-disable-", "healthlint--disable", "healthlint-Disable",
    "healthlint-disablenext-line", "healthlint-disableHL101", "healthlint_disable", "healthlint: disable", "healthlint",
]
DIRECTIVE_RULES = [
    "", " HL101", " hl101", " HL1", " HL", " absolute-claim", " HL101, citation-needed", " HL101,,HL102 ,",
    " HL101 HL102", "\nHL101\n", " nonsense", " HL999", " ALL", " grammar", " HL001", " HL0", " --", " <!--",
]
DIRECTIVE_OPENERS = ["<!-- ", "<!--", "<!--\n", "<!--\t ", "<!- ", "`<!-- "]
DIRECTIVE_CLOSERS = [" -->", "-->", "\n-->", " -->`", " --", " --!>", ""]
directives = st.builds("{}{}{}{}".format, st.sampled_from(DIRECTIVE_OPENERS), st.sampled_from(DIRECTIVE_NAMES),
                       st.sampled_from(DIRECTIVE_RULES), st.sampled_from(DIRECTIVE_CLOSERS))
MARKUP = [
    "\n", "\r\n", "\r", "\n\n", "\t", "    ", "# ", "## ", "###### ", "> ", "> > > ", "- ", "* ", "1. ", "  - ",
    "    - ", "*", "**", "_", "__", "`", "```", "```\n", "~~~", "---", "---\n", "+++", "+++\n", "***", "|", "| a | b |\n|---|---|\n",
    "[", "]", "(", ")", "![img](", "<", ">", "<div>", "</div>", "<script>alert(1)</script>", "<br/>", "&amp;",
    "&#x0;", "\\", "[^", "]:", "title: x\n", "date: 2020-02-30\n", ": ", "{", "}",
]
ODD = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u0301", "\u0308\u0308", "\u202e", "\u202d",
    "\u2066", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\U0001f600", "\U0001f468\u200d\U0001f469",
    "\U0001f1fa\U0001f1f8", "\u00a0", "\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\x00", "\ud7ff", "\ufffd",
    "\x1b[31m", "\x07", "\x01", "\x7f", "\x9b", "\u2019", "\u201c", "\u201d", "\u2026", "\u2014", "\u0130", "\u00df", "\ufb01", "\u0390", "\u1e9e", "İ",
]


def _nested(depth: int, markers=("> ", "- ", "1. ", "  ", "* ")):
    return st.lists(st.sampled_from(markers), min_size=1, max_size=depth).map("".join)


piece = st.one_of(
    st.sampled_from(HEALTH), st.sampled_from(MARKUP), st.sampled_from(ODD), st.sampled_from(MARKUP), directives,
    _nested(40),
    st.text(max_size=12),  # arbitrary Unicode (no surrogates: they cannot be in a decoded file)
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
)
articles = st.lists(piece, max_size=60).map("".join)
paths = st.sampled_from(["case.md", "case.txt"])


@lru_cache(maxsize=None)
def settings():
    registry = build_registry()
    return resolve(Config(values={}), registry, select=["ALL"], ignore=["grammar"])


# before any article it leaves no finding at all (the unsuppressable HL001 and HL002 mean a failed check)
DISABLE_FILE = "<!-- healthlint-disable-file -->\n"


def _lines(text: str) -> list[str]:
    """The file's lines as healthlint numbers them (CRLF, CR and LF end a line)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def check(text: str, path: str = "case.md") -> None:
    s = settings()
    violations = lint_text(path, text, s)
    crashed = [v.message for v in violations if v.code == "HL002"]
    assert not crashed, crashed
    lines = _lines(text.replace("\x00", "\ufffd"))
    for v in violations:
        where = (v.code, v.line, v.column, v.end_line, v.end_column)
        assert 1 <= v.line <= v.end_line <= len(lines), where
        assert 1 <= v.column <= len(lines[v.line - 1]) + 1, where
        assert 1 <= v.end_column <= len(lines[v.end_line - 1]) + 1, where
        assert (v.line, v.column) <= (v.end_line, v.end_column), where
        assert v.message and v.path == path, where
    ctx = Context(rules=[r for r in s.registry.rules if r.code in s.enabled], severity=s.severity,
                  sources={path: text}, files=[path])
    out = {name: fmt(violations, ctx) for name, fmt in FORMATTERS.items()}
    assert out["text"].count("\n") == len(violations) and "\x1b" not in out["text"]
    assert len(json.loads(out["json"])) == len(violations)
    assert len(json.loads(out["sarif"])["runs"][0]["results"]) == len(violations)
    xml.dom.minidom.parseString(out["junit"].encode("utf-8"))
    assert out["html"].lstrip().lower().startswith("<!doctype html>")
    left = [(v.code, v.line, v.message) for v in lint_text(path, DISABLE_FILE + text, s)]
    assert not left, ("left by healthlint-disable-file", left)
