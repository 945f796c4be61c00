"""Lint documents: read -> Document -> rules -> findings -> violations -> suppression."""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from healthlint.checks.system import BAD_DIRECTIVE, EMPTY, RULE_CRASHED, UNREADABLE
from healthlint.config import Settings
from healthlint.document import Document, parse
from healthlint.files import InputFile, ReadError, decode, glob_match, read_bytes, relative_to_root
from healthlint.model import CheckError, Finding, Rule, Violation
from healthlint.suppress import parse_suppressions

SYSTEM_CODES = {UNREADABLE.code, RULE_CRASHED.code}   # always reported: they mean "not checked"


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    files_checked: int = 0
    files_failed: int = 0       # unreadable, or a rule crashed on them


def _violation(doc: Document, rule: Rule, finding: Finding, settings: Settings) -> Violation:
    if not isinstance(finding, Finding):
        raise TypeError(f"yielded {finding!r}, not a healthlint.model.Finding")
    if finding.in_source:
        start, end = finding.start, finding.end
    else:
        start, end = doc.to_source(finding.start, finding.end)
    line, col = doc.position(start)
    end_line, end_col = doc.position(max(start, end))
    severity = settings.severity.get(rule.code, rule.severity)
    if finding.severity is not None:  # a rule may lower one finding below the configured level
        severity = min(severity, finding.severity)
    return Violation(doc.path, line, col, end_line, end_col, rule.code, rule.name, severity, finding.message,
                     finding.suggestion)


def _crash_message(rule: Rule, exc: Exception) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
    return f"rule {rule.code} {rule.name} ({rule.source}) crashed{where}: {type(exc).__name__}: {exc}"


def lint_text(display: str, text: str, settings: Settings, ignored: set[str] = frozenset()) -> list[Violation]:
    doc = parse(display, text)
    active = [r for code, r in settings.enabled.items() if code not in ignored]
    out: list[Violation] = []
    for rule in active:  # the system rules' own check() finds nothing: they are reported below
        try:
            out.extend([_violation(doc, rule, f, settings) for f in rule.check(doc, settings.options[rule.code])])
        except CheckError as exc:  # an outside service failed: this file was not fully checked
            out.append(Violation(display, 1, 1, 1, 1, RULE_CRASHED.code, RULE_CRASHED.name, RULE_CRASHED.severity,
                                 f"rule {rule.code} {rule.name} could not check this file: {exc}"))
        except Exception as exc:  # a crashing rule is reported, and the others still run
            out.append(Violation(display, 1, 1, 1, 1, RULE_CRASHED.code, RULE_CRASHED.name,
                                 RULE_CRASHED.severity, _crash_message(rule, exc)))
    if EMPTY.code in settings.enabled and EMPTY.code not in ignored and not doc.prose.strip():
        out.append(_violation(doc, EMPTY, Finding(0, 0, "file is empty or has no prose; nothing was checked",
                                                  None, True), settings))
    suppressions, problems = parse_suppressions(doc, settings.registry)
    if BAD_DIRECTIVE.code in settings.enabled and BAD_DIRECTIVE.code not in ignored:
        out.extend(_violation(doc, BAD_DIRECTIVE, f, settings) for f in problems)
    out = [v for v in out if v.code in SYSTEM_CODES or not suppressions.covers(v.code, v.line)]
    return sorted(out, key=Violation.sort_key)


def unreadable(display: str, error: ReadError) -> Violation:
    return Violation(display, error.line, error.column, error.line, error.column, UNREADABLE.code,
                     UNREADABLE.name, UNREADABLE.severity, error.message)


def ignored_codes(display: str, settings: Settings, root: Path) -> set[str]:
    rel = relative_to_root(Path(display), root)
    codes: set[str] = set()
    for glob, selected in settings.per_file_ignores:
        if glob_match(glob, rel):
            codes |= selected
    return codes


def lint_file(item: InputFile, settings: Settings, max_size: int, root: Path, stdin=None) -> tuple[list[Violation], bool]:
    """Violations for one file, and whether it was checked."""
    try:
        text = decode(read_bytes(item, max_size, stdin), max_size)
    except ReadError as exc:
        return [unreadable(item.display, exc)], False
    return lint_text(item.display, text, settings, ignored_codes(item.display, settings, root)), True


def lint_files(files: Iterable[InputFile], settings: Settings, max_size: int, root: Path, stdin=None,
               workers: int = 1) -> Report:
    """Lint files in order; with workers > 1, several at once (for rules that wait on a server)."""
    report = Report()
    files = list(files)
    if workers > 1 and len(files) > 1:
        from concurrent.futures import ThreadPoolExecutor
        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            results = list(pool.map(lambda item: lint_file(item, settings, max_size, root, stdin), files))
        finally:  # on Ctrl-C, drop queued files at once instead of finishing them
            pool.shutdown(wait=False, cancel_futures=True)
    else:
        results = [lint_file(item, settings, max_size, root, stdin) for item in files]
    for violations, checked in results:
        report.violations.extend(violations)
        if checked:
            report.files_checked += 1
        if not checked or any(v.code == RULE_CRASHED.code for v in violations):
            report.files_failed += 1
    report.violations.sort(key=Violation.sort_key)
    return report
