"""Suppression comments, invisible when the Markdown is rendered:

    <!-- healthlint-disable-next-line HL101, citation-needed -->
    text <!-- healthlint-disable-line HL101 -->
    <!-- healthlint-disable HL101 --> ... <!-- healthlint-enable HL101 -->
    <!-- healthlint-disable-file -->

Rules are codes, code prefixes or names; none means every rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from healthlint.document import DIRECTIVE_RE, Document
from healthlint.model import Finding
from healthlint.registry import Registry, RegistryError

DIRECTIVES = {"healthlint-disable", "healthlint-enable", "healthlint-disable-line",
              "healthlint-disable-next-line", "healthlint-disable-file"}
ALL = None  # "every rule"


@dataclass
class Suppressions:
    whole_file: set | None = field(default_factory=set)   # ALL or codes
    lines: dict[int, set | None] = field(default_factory=dict)
    ranges: list[tuple[int, str, set | None]] = field(default_factory=list)  # (line, disable|enable, codes)

    def covers(self, code: str, line: int) -> bool:
        if self.whole_file is ALL or code in self.whole_file:
            return True
        on_line = self.lines.get(line, set())
        if on_line is ALL or code in on_line:
            return True
        disabled = False
        for at, action, codes in self.ranges:
            if at > line:
                break
            if codes is ALL or code in codes:
                disabled = action == "disable"
        return disabled


def _merge(current, codes):
    if current is ALL or codes is ALL:
        return ALL
    return current | codes


def parse_suppressions(doc: Document, registry: Registry) -> tuple[Suppressions, list[Finding]]:
    """Directives in the document, and HL003 findings for the malformed ones."""
    result = Suppressions()
    problems: list[Finding] = []
    for comment in doc.comments:
        m = DIRECTIVE_RE.match(comment.text)
        if not m:
            continue
        directive, rest = m.group(1), m.group(2)
        start, end = comment.source_offset, comment.end_offset
        if directive not in DIRECTIVES:
            problems.append(Finding(start, end, f"unknown directive '{directive}'; use one of "
                                    + ", ".join(sorted(DIRECTIVES)), None, True))
            continue
        names = [n for n in re.split(r"[\s,]+", rest.strip()) if n]
        codes: set | None = ALL if not names else set()
        for name in names:
            try:
                codes |= {r.code for r in registry.resolve(name)}
            except RegistryError:
                problems.append(Finding(start, end, f"'{directive}' names unknown rule '{name}'", None, True))
        if codes is not ALL and not codes:
            continue
        line, _ = doc.position(start)
        end_line, _ = doc.position(max(start, end - 1))
        if directive == "healthlint-disable-file":
            result.whole_file = _merge(result.whole_file, codes)
        elif directive == "healthlint-disable-line":
            result.lines[line] = _merge(result.lines.get(line, set()), codes)
        elif directive == "healthlint-disable-next-line":
            result.lines[end_line + 1] = _merge(result.lines.get(end_line + 1, set()), codes)
        else:
            result.ranges.append((line, "disable" if directive == "healthlint-disable" else "enable", codes))
    result.ranges.sort(key=lambda r: r[0])
    return result, problems
