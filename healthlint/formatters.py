"""Output formats. Each takes violations (and a Context) and returns text. None knows about
rules' logic: SARIF and HTML get the rules only for their names and docs.

Every output encodes as UTF-8, whatever the paths, articles, rule packs and plugins hold. A file
name byte that is not UTF-8 (Python holds it as a surrogate escape, U+DC80-U+DCFF) is shown as
\\xff in every format (SARIF's artifact URI has the raw byte, %FF). What a person reads (text,
github, the visible text of html) shows control characters (ESC, BEL...), bidi controls and line
separators escaped, \\x1b or \\u202e: they would act on the terminal or reorder what is shown.
The machine formats (json, sarif, junit) keep the real text: json.dumps escapes control
characters, and junit escapes only what XML 1.0 forbids. A severity a plugin made up is shown as
a warning (see _severity)."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Callable, Mapping, Sequence
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape, quoteattr

import click

from healthlint import __version__
from healthlint.model import Rule, Severity, Violation

JSON_KEYS = ("path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message", "suggestion")
SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# C0 and C1 controls but tab, LF, CR; bidi marks, embeddings, overrides and isolates; line and
# paragraph separators; surrogates (not UTF-8: a surrogate-escaped byte of a file name)
UNSEEN = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
          "\ud800-\udfff")
TERMINAL = re.compile(f"[\t\n\r{UNSEEN}]")   # text: a finding is one line
GITHUB = re.compile(f"[\t{UNSEEN}]")         # github: CR and LF are written %0D and %0A
PAGE = re.compile(f"[{UNSEEN}]")              # html: the article keeps its tabs and line breaks
SURROGATE = re.compile("[\ud800-\udfff]")     # json, sarif: only what UTF-8 cannot encode
NOT_A_BYTE = re.compile("[\ud800-\udc7f\udd00-\udfff]")  # a surrogate that no file name byte gives
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # not allowed in XML 1.0
SARIF_SCHEMA = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"


@dataclass
class Context:
    """What a format may need besides the violations."""
    color: bool = False
    rules: Sequence[Rule] = ()                                 # the rules that ran: names and docs
    severity: Mapping[str, Severity] = field(default_factory=dict)  # configured severity by code
    sources: Mapping[str, str] = field(default_factory=dict)   # path -> text (the HTML report)
    files: Sequence[str] = ()                                  # every path checked, in order


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by the surrogateescape handler
        code -= 0xDC00
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _escaped(text: str, chars: re.Pattern = TERMINAL) -> str:
    """`text` with every character `chars` matches shown as an escape (\\x1b, \\u202e), and a
    surrogate-escaped byte as that byte (\\xff). Every format shows text through this helper."""
    return chars.sub(_escape, str(text))


def _json(data) -> str:
    """JSON of `data` that encodes as UTF-8: a surrogate (only ever inside a string) becomes the
    text \\xff, i.e. the JSON string escape \\\\ then xff."""
    return SURROGATE.sub(lambda m: "\\" + _escape(m), json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _severity(value) -> Severity:
    """The severity to show: one a plugin made up (0, "fatal", None) is a warning, not a crash."""
    if isinstance(value, Severity):
        return value
    return next((s for s in Severity if value in (s.value, str(s))), Severity.WARNING)


def _checked(violations: Sequence[Violation]) -> list[Violation]:
    return [v if isinstance(v.severity, Severity) else v._replace(severity=_severity(v.severity))
            for v in violations]


def format_text(violations: list[Violation], ctx: Context) -> str:
    lines = []
    for v in _checked(violations):
        where = f"{_escaped(v.path)}:{v.line}:{v.column}:"
        code = _escaped(v.code)
        if ctx.color:
            where = click.style(where, bold=True)
            code = click.style(code, fg=SEVERITY_COLOURS[v.severity], bold=True)
        lines.append(f"{where} {code} {_escaped(v.message)} [{_escaped(v.rule)}]")
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(violations: list[Violation], ctx: Context) -> str:
    rows = [dict(zip(JSON_KEYS, (v.path, v.line, v.column, v.end_line, v.end_column, v.code, v.rule,
                                 str(v.severity), v.message, v.suggestion))) for v in _checked(violations)]
    return _json(rows)


def _github_escape(text: str, prop: bool = False) -> str:
    """GitHub workflow-command escaping (data: % CR LF; properties also : and ,), after _escaped."""
    text = _escaped(text, GITHUB).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(violations: list[Violation], ctx: Context) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's files."""
    lines = []
    for v in _checked(violations):
        message = v.message + (f" (suggestion: {v.suggestion})" if v.suggestion else "")
        props = (f"file={_github_escape(v.path, True)},line={v.line},col={v.column},endLine={v.end_line},"
                 f"endColumn={v.end_column},title={_github_escape(f'{v.code} {v.rule}', True)}")
        lines.append(f"::{GITHUB_COMMANDS[v.severity]} {props}::{_github_escape(message)}")
    return "".join(line + "\n" for line in lines)


def _uri(path: str) -> str:
    """The path's bytes, percent-encoded: a name that is not UTF-8 keeps its raw byte (%FF)."""
    return quote(_escaped(PurePath(path).as_posix(), NOT_A_BYTE).encode("utf-8", "surrogateescape"))


def _descriptor(rule: Rule, severity: Severity) -> dict:
    out = {"id": rule.code, "name": rule.name, "shortDescription": {"text": rule.summary}}
    if rule.docs and rule.docs.sections():
        out["fullDescription"] = {"text": rule.docs.what or rule.summary}
        out["help"] = {"text": "\n\n".join(text if title == "What it checks" else f"{title.split()[0]}: {text}"
                                            for title, text in rule.docs.sections())}   # "Why: ...", "Bad: ..."

    out["defaultConfiguration"] = {"level": SARIF_LEVELS[_severity(severity)]}
    return out


def format_sarif(violations: list[Violation], ctx: Context) -> str:
    """SARIF 2.1.0: one reportingDescriptor per rule, results with physical locations."""
    violations = _checked(violations)
    rules = list(ctx.rules)
    known = {r.code for r in rules}
    rules += [Rule(code=v.code, name=v.rule, summary=v.rule, severity=v.severity)  # e.g. HL002, not selected
              for v in {v.code: v for v in violations if v.code not in known}.values()]
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for v in violations:
        message = v.message + (f" (suggestion: {v.suggestion})" if v.suggestion else "")
        region = {"startLine": v.line, "startColumn": v.column, "endLine": v.end_line, "endColumn": v.end_column}
        results.append({
            "ruleId": v.code, "ruleIndex": index[v.code], "level": SARIF_LEVELS[v.severity],
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(v.path), "uriBaseId": "%SRCROOT%"},
                                                "region": region}}]})
    driver = {"name": "healthlint", "version": __version__, "informationUri": "https://pypi.org/project/healthlint/",
              "rules": [_descriptor(r, ctx.severity.get(r.code, r.severity)) for r in rules]}
    run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    return _json({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]})


def format_junit(violations: list[Violation], ctx: Context) -> str:
    """JUnit XML: one test case per file; a file with findings is a failure listing them."""
    by_file: dict[str, list[Violation]] = {path: [] for path in ctx.files}
    for v in _checked(violations):
        by_file.setdefault(v.path, []).append(v)
    failed = sum(1 for found in by_file.values() if found)
    cases = []
    for path, found in by_file.items():
        name = quoteattr(_escaped(path, XML_INVALID))
        if not found:
            cases.append(f'    <testcase classname="healthlint" name={name}/>')
            continue
        body = "\n".join(f"{v.path}:{v.line}:{v.column}: {v.code} {v.message} [{v.rule}]" for v in found)
        kinds = ", ".join(_plural(n, str(s)) for s, n in sorted(Counter(v.severity for v in found).items(),
                                                                 reverse=True))
        cases.append(f'    <testcase classname="healthlint" name={name}>\n'
                     f'      <failure type="healthlint" message={quoteattr(kinds)}>{xml_escape(_escaped(body, XML_INVALID))}</failure>\n'
                     f'    </testcase>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
            f'  <testsuite name="healthlint" tests="{len(by_file)}" failures="{failed}" errors="0">\n'
            + "".join(c + "\n" for c in cases) + "  </testsuite>\n</testsuites>\n")


def format_html(violations: list[Violation], ctx: Context) -> str:
    from healthlint.html_report import render
    return render(violations, ctx)


FORMATTERS: dict[str, Callable[[list[Violation], Context], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
    "junit": format_junit,
    "html": format_html,
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(violations: list[Violation], files_checked: int, files_failed: int) -> str:
    counts = Counter(v.severity for v in _checked(violations))
    files = _plural(files_checked, "file") + " checked"
    if files_failed:
        files += f", {files_failed} could not be fully checked"
    if not violations:
        return f"No problems found ({files})."
    parts = [_plural(counts[s], str(s)) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    return f"Found {_plural(len(violations), 'problem')} ({', '.join(parts)}) in {files}."


def statistics(violations: list[Violation]) -> str:
    """Findings per rule, most first, with a header; "yes" under suggestion when some of the rule's
    findings carry a replacement (like ruff's --statistics)."""
    checked = _checked(violations)
    counts = Counter((_escaped(v.code), _escaped(v.rule), v.severity) for v in checked)
    suggests = {_escaped(v.code) for v in checked if v.suggestion}
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    lines = [f"{'count':>5}  {'code':<7} {'name':<26} {'severity':<8} suggestion"] if rows else []
    lines += [f"{n:5d}  {code:<7} {rule:<26} {str(sev):<8} {'yes' if code in suggests else ''}".rstrip()
              for (code, rule, sev), n in rows]
    return "".join(line + "\n" for line in lines)
