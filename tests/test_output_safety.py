"""Every output format encodes as UTF-8 and parses, whatever paths, articles, rule packs and plugins
hold: file names that are not UTF-8 (surrogate escapes), control characters and terminal escape
sequences, bidi controls, made-up severities. Text and github output show control and bidi
characters escaped (\\x1b, \\u202e); json and sarif keep the real text (formatters' docstring)."""
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path, PurePath
from urllib.parse import unquote_to_bytes

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hltest import write

from healthlint.formatters import FORMATTERS, Context, format_github, format_json, format_sarif, format_text, statistics, summary
from healthlint.model import Rule, Severity, Violation

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SARIF = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)  # built once: validate() rebuilds it every call
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ODD = ["\udcff", "\udc80", "\udcc3\udca9", "\ud800", "\udfff", "\ud83d\ude00", "\x1b", "\x1b[31m", "\x1b[2J",
       "\x1b]0;owned\x07", "\x9b1m", "\x07", "\x00", "\x08", "\x7f", "\x85", "\t", "\r", "\n", "\r\n", "\x0b",
       "\x0c", *BIDI, "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "%", "%0A", ":", ",", "::", "<", "&",
       '"', "'", "]]>", "\\", "\\x1b", "/", " ", "é", "\U0001f600", "miracle cure"]
anything = st.characters(exclude_categories=())   # every code point, surrogates included
texts = st.lists(st.one_of(st.sampled_from(ODD), st.text(alphabet=anything, max_size=4)), max_size=8).map("".join)
articles = st.lists(st.one_of(st.sampled_from([c for c in ODD if not 0xd800 <= ord(c[0]) <= 0xdfff]),
                              st.text(alphabet=st.characters(codec="utf-8"), max_size=6)), max_size=30).map("".join)
severities = st.sampled_from([*Severity, 0, 4, -1, "fatal", "error", None, 2.0])
violations = st.builds(Violation, path=texts, line=st.integers(1, 4), column=st.integers(1, 9),
                       end_line=st.integers(1, 4), end_column=st.integers(1, 9),
                       code=st.one_of(st.just("HL101"), texts), rule=texts, severity=severities,
                       message=texts, suggestion=st.none() | texts)


def _raw_controls(out: str, allowed: str = "\n") -> list[str]:
    """Characters a reader's terminal or viewer would act on rather than show."""
    return [c for c in out if c not in allowed and (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or c in BIDI
                                                      or c in "\u2028\u2029" or 0xd800 <= ord(c) <= 0xdfff)]


@settings(max_examples=200, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(found=st.lists(violations, max_size=6), extra=st.lists(texts, max_size=2), article=articles,
       rule_name=texts, rule_severity=severities)
def test_every_format_is_valid_utf8_and_parses(found, extra, article, rule_name, rule_severity):
    files = list(dict.fromkeys([*extra, *(v.path for v in found)]))
    rules = [Rule(code="HL101", name=rule_name, summary=rule_name, severity=rule_severity)]
    ctx = Context(rules=rules, severity={"HL101": rule_severity}, files=files,
                  sources={path: article for path in files[:2]})
    out = {name: fmt(found, ctx) for name, fmt in FORMATTERS.items()}
    for name, text in out.items():
        text.encode("utf-8")  # strict: a lone surrogate would raise
        if name in ("json", "sarif", "junit"):  # the real text, but no C0 control (json and XML escape them)
            assert not [c for c in text if ord(c) < 0x20 and c not in "\t\n\r"], name
        else:
            assert not _raw_controls(text, "\t\n\r" if name == "html" else "\n"), name

    for name in ("text", "github"):
        assert out[name].count("\n") == len(found), name
    rows = json.loads(out["json"])
    assert len(rows) == len(found)
    for row, v in zip(rows, found):
        if not any(0xd800 <= ord(c) <= 0xdfff for c in v.path + v.message):
            assert (row["path"], row["message"]) == (v.path, v.message)  # json keeps the real text
        assert row["severity"] in ("error", "warning", "info")
    log = json.loads(out["sarif"])
    SARIF.validate(log)
    for result, v in zip(log["runs"][0]["results"], found):
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        if all(0xdc80 <= ord(c) <= 0xdcff for c in v.path if 0xd800 <= ord(c) <= 0xdfff):
            assert unquote_to_bytes(uri) == PurePath(v.path).as_posix().encode("utf-8", "surrogateescape")
    suite = ET.fromstring(out["junit"].encode("utf-8")).find("testsuite")
    assert len(suite) == len(files)
    assert out["html"].startswith("<!DOCTYPE html>") and out["html"].count("<section class=\"article\"") == len(files)


BAD = os.fsdecode(b"bad\xffname.md")  # as Python holds a name that is not UTF-8: "bad\udcffname.md"


def test_a_file_name_that_is_not_utf8_shows_its_byte_escaped_in_every_format():
    v = Violation(BAD, 1, 3, 1, 15, "HL101", "absolute-claim", Severity.WARNING, "m")
    ctx = Context(files=[BAD], sources={BAD: "A miracle cure.\n"})
    out = {name: fmt([v], ctx) for name, fmt in FORMATTERS.items()}
    assert out["text"] == "bad\\xffname.md:1:3: HL101 m [absolute-claim]\n"
    assert out["github"].startswith("::warning file=bad\\xffname.md,line=1,")
    assert json.loads(out["json"])[0]["path"] == "bad\\xffname.md"
    location = json.loads(out["sarif"])["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "bad%FFname.md"
    assert 'name="bad\\xffname.md"' in out["junit"] and "bad\\xffname.md:1:3: HL101 m" in out["junit"]
    assert "<h2>bad\\xffname.md</h2>" in out["html"]
    for text in out.values():
        text.encode("utf-8")


def test_the_cli_writes_valid_utf8_for_a_file_name_that_is_not_utf8(run, tmp_path):
    write(tmp_path / BAD, "A miracle cure.\n")
    shown = {"text": "bad\\xffname.md:1:3:", "json": '"path": "bad\\\\xffname.md"', "sarif": '"uri": "bad',
             "github": "file=bad\\xffname.md,", "junit": 'name="bad\\xffname.md"', "html": "<h2>bad\\xffname.md</h2>"}
    for fmt, expected in shown.items():
        result = run(BAD, "--format", fmt, "--no-cache")
        assert result.exit_code == 1, (fmt, result.output)
        assert expected in result.stdout_bytes.decode("utf-8"), fmt  # strict UTF-8


def test_the_cli_gives_sarif_the_raw_bytes_of_a_file_name_that_is_not_utf8(run, tmp_path):
    write(tmp_path / BAD, "A miracle cure.\n")
    assert '"uri": "bad%FFname.md"' in run(BAD, "--format", "sarif", "--no-cache").stdout


def test_a_severity_a_plugin_made_up_is_shown_as_a_warning():
    odd = [Violation("a.md", 1, 1, 1, 2, "X1", "odd", value, "m") for value in (0, "fatal", None, 7)]
    rule = Rule(code="X1", name="odd", summary="odd", severity=0)
    ctx = Context(color=True, rules=[rule], files=["a.md"], sources={"a.md": "ab\n"})
    for name, fmt in FORMATTERS.items():
        fmt(odd, ctx)   # no KeyError, no comparison of a str with an int
    assert format_github(odd, ctx).count("::warning file=a.md") == 4
    log = json.loads(format_sarif(odd, ctx))
    assert [r["level"] for r in log["runs"][0]["results"]] == ["warning"] * 4
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] == "warning"
    assert {row["severity"] for row in json.loads(format_json(odd, ctx))} == {"warning"}
    assert format_github([odd[0]._replace(severity=3)], ctx).startswith("::error ")
    assert summary(odd, 1, 0) == "Found 4 problems (4 warnings) in 1 file checked."
    assert statistics([odd[0]._replace(rule="odd\x1b[2J")]).splitlines()[1] == "    1  X1      odd\\x1b[2J                 warning"


TRICK = "\x1b[2J\x1b]0;owned\x07 \u202eevil\u202c \u2066x\u2069 \x9b1m"


def test_escape_sequences_and_bidi_controls_are_shown_escaped_to_people():
    v = Violation("a\x1b[1m.md", 1, 1, 1, 2, "HL101", "rule\u202e", Severity.ERROR, f'"{TRICK}" is hype')
    shown = "\\x1b[2J\\x1b]0;owned\\x07 \\u202eevil\\u202c \\u2066x\\u2069 \\x9b1m"
    assert format_text([v], Context()) == f'a\\x1b[1m.md:1:1: HL101 "{shown}" is hype [rule\\u202e]\n'
    assert format_github([v], Context()) == \
        f'::error file=a\\x1b[1m.md,line=1,col=1,endLine=1,endColumn=2,title=HL101 rule\\u202e::"{shown}" is hype\n'
    # json keeps the real text: its consumers want it (json.dumps writes control characters as \u001b)
    out = format_json([v], Context())
    assert "\u202e" in out and "\x1b" not in out and json.loads(out)[0]["message"] == f'"{TRICK}" is hype'
    html = FORMATTERS["html"]([v], Context(files=[v.path], sources={v.path: f"{TRICK}\n"}))
    assert not _raw_controls(html, "\n") and "\\u202eevil" in html and "a\\x1b[1m.md" in html
