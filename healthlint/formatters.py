"""Output formats. Each takes violations (and a Context) and returns text. None knows about
rules' logic: SARIF and HTML get the rules only for their names and docs."""
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
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # not allowed in XML 1.0
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")   # ESC from an article must not reach a terminal
SARIF_SCHEMA = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"


@dataclass
class Context:
    """What a format may need besides the violations."""
    color: bool = False
    rules: Sequence[Rule] = ()                                 # the rules that ran: names and docs
    severity: Mapping[str, Severity] = field(default_factory=dict)  # configured severity by code
    sources: Mapping[str, str] = field(default_factory=dict)   # path -> text (the HTML report)
    files: Sequence[str] = ()                                  # every path checked, in order


def _escaped(text: str, chars: re.Pattern = CONTROL) -> str:
    """Characters that would be read as terminal commands or break a report, shown as \\xNN."""
    return chars.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def format_text(violations: list[Violation], ctx: Context) -> str:
    lines = []
    for v in violations:
        where = f"{_escaped(v.path)}:{v.line}:{v.column}:"
        code = v.code
        if ctx.color:
            where = click.style(where, bold=True)
            code = click.style(code, fg=SEVERITY_COLOURS[v.severity], bold=True)
        lines.append(f"{where} {code} {_escaped(v.message)} [{v.rule}]")
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(violations: list[Violation], ctx: Context) -> str:
    rows = [dict(zip(JSON_KEYS, (v.path, v.line, v.column, v.end_line, v.end_column, v.code, v.rule,
                                 str(v.severity), v.message, v.suggestion))) for v in violations]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _github_escape(text: str, prop: bool = False) -> str:
    """GitHub workflow-command escaping (data: % CR LF; properties also : and ,)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(violations: list[Violation], ctx: Context) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's files."""
    lines = []
    for v in violations:
        message = v.message + (f" (suggestion: {v.suggestion})" if v.suggestion else "")
        props = (f"file={_github_escape(v.path, True)},line={v.line},col={v.column},endLine={v.end_line},"
                 f"endColumn={v.end_column},title={_github_escape(f'{v.code} {v.rule}', True)}")
        lines.append(f"::{GITHUB_COMMANDS[v.severity]} {props}::{_github_escape(message)}")
    return "".join(line + "\n" for line in lines)


def _uri(path: str) -> str:
    return quote(PurePath(path).as_posix())


def _descriptor(rule: Rule, severity: Severity) -> dict:
    out = {"id": rule.code, "name": rule.name, "shortDescription": {"text": rule.summary}}
    if rule.docs:
        out["fullDescription"] = {"text": rule.docs.what}
        help_text = f"{rule.docs.what}\n\nWhy: {rule.docs.why}\n\nStandard: {rule.docs.standard}\n\n" \
                    f"Bad: {rule.docs.bad}\n\nGood: {rule.docs.good}"
        out["help"] = {"text": help_text}
    out["defaultConfiguration"] = {"level": SARIF_LEVELS[severity]}
    return out


def format_sarif(violations: list[Violation], ctx: Context) -> str:
    """SARIF 2.1.0: one reportingDescriptor per rule, results with physical locations."""
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
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2,
                      ensure_ascii=False) + "\n"


def format_junit(violations: list[Violation], ctx: Context) -> str:
    """JUnit XML: one test case per file; a file with findings is a failure listing them."""
    by_file: dict[str, list[Violation]] = {path: [] for path in ctx.files}
    for v in violations:
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
    counts = Counter(v.severity for v in violations)
    files = _plural(files_checked, "file") + " checked"
    if files_failed:
        files += f", {files_failed} could not be fully checked"
    if not violations:
        return f"No problems found ({files})."
    parts = [_plural(counts[s], str(s)) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    return f"Found {_plural(len(violations), 'problem')} ({', '.join(parts)}) in {files}."


def statistics(violations: list[Violation]) -> str:
    counts = Counter((v.code, v.rule, v.severity) for v in violations)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    return "".join(f"{n:5d}  {code:<7} {rule:<26} {sev}\n" for (code, rule, sev), n in rows)
