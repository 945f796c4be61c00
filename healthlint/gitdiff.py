"""--diff REF: the lines changed since a git ref, so old articles need not be fixed first.

Changed means different from REF in the working tree: committed, staged or not, plus files
git does not track yet (they are new, so every line is changed). Renamed files count only
their changed lines."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.engine import SYSTEM_CODES
from healthlint.model import Rule, Violation

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class GitError(Exception):
    pass


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=cwd, capture_output=True,
                              text=True, encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        raise GitError("--diff needs git, which was not found") from None
    if done.returncode:
        raise GitError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed")
    return done.stdout


def _unquote(path: str) -> str:
    """A path as git prints it in a patch (C-quoted when it holds odd characters)."""
    if not path.startswith('"'):
        return path
    raw, out, i = path[1:-1], bytearray(), 0
    while i < len(raw):
        if raw[i] == "\\" and raw[i + 1] in "01234567":
            out.append(int(raw[i + 1:i + 4], 8))
            i += 4
        elif raw[i] == "\\":
            out.extend(ESCAPES.get(raw[i + 1], raw[i + 1]).encode())
            i += 2
        else:
            out.extend(raw[i].encode("utf-8", "surrogateescape"))
            i += 1
    return out.decode("utf-8", "surrogateescape")


@dataclass
class Changes:
    ref: str
    lines: dict[Path, set[int] | None] = field(default_factory=dict)  # None: every line (a new file)

    def touches(self, display: str) -> bool:
        return Path(display).resolve() in self.lines

    def keep(self, v: Violation, rules: dict[str, Rule]) -> bool:
        """A finding on a changed line, or about the whole of a changed file."""
        path = Path(v.path).resolve()
        if path not in self.lines:
            return False
        rule = rules.get(v.code)
        lines = self.lines[path]
        if lines is None or v.code in SYSTEM_CODES or rule is None or rule.document_level:
            return True
        return any(line in lines for line in range(v.line, v.end_line + 1))


def changed_since(ref: str, cwd: Path | None = None) -> Changes:
    cwd = cwd or Path.cwd()
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"--diff: {ref!r} is not a commit in this git repository") from None
    patch = _git(["diff", "--no-color", "--no-ext-diff", "--unified=0", "-M", "--src-prefix=a/", "--dst-prefix=b/",
                  ref, "--"], top)
    changes = Changes(ref)
    current: set[int] | None = None
    for line in patch.splitlines():
        if line.startswith("+++ "):
            target = line[4:].rstrip("\t")  # git ends a name holding spaces with a tab
            current = None if target == "/dev/null" else changes.lines.setdefault(
                (top / _unquote(target)[2:]).resolve(), set())
        elif current is not None and (m := HUNK.match(line)):
            start, count = int(m.group(1)), int(m.group(2) or 1)
            current.update(range(start, start + count))
    for name in _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0"):
        if name:
            changes.lines[(top / name).resolve()] = None
    return changes
