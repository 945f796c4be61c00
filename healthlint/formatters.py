"""Output formats. Each takes violations and returns text; none knows about rules or files."""
from __future__ import annotations

import json
from collections import Counter
from typing import Callable

import click

from healthlint.model import Severity, Violation

JSON_KEYS = ("path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message", "suggestion")
SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def format_text(violations: list[Violation], color: bool = False) -> str:
    lines = []
    for v in violations:
        where = f"{v.path}:{v.line}:{v.column}:"
        code = v.code
        if color:
            where = click.style(where, bold=True)
            code = click.style(code, fg=SEVERITY_COLOURS[v.severity], bold=True)
        lines.append(f"{where} {code} {v.message} [{v.rule}]")
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(violations: list[Violation], color: bool = False) -> str:
    rows = [dict(zip(JSON_KEYS, (v.path, v.line, v.column, v.end_line, v.end_column, v.code, v.rule,
                                 str(v.severity), v.message, v.suggestion))) for v in violations]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[[list[Violation], bool], str]] = {
    "text": format_text,
    "json": format_json,
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
