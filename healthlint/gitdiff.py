"""--diff REF: the lines changed since a git ref, so old articles need not be fixed first.

Changed means different from REF in the working tree: committed, staged or not, plus files
git does not track yet (they are new, so every line is changed). Renamed files count only
their changed lines."""
from __future__ import annotations

import difflib
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.engine import SYSTEM_CODES
from healthlint.model import Rule, Violation

HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
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


LONE_CR = re.compile(rb"\r(?!\n)")


@dataclass
class Changes:
    ref: str
    # git's line numbers (lines end at LF only) per file; None: every line (a new file)
    lines: dict[Path, set[int] | None] = field(default_factory=dict)
    top: Path | None = None
    _linter_lines: dict[Path, set[int] | None] = field(default_factory=dict)

    def touches(self, display: str) -> bool:
        return Path(display).resolve() in self.lines

    def keep(self, v: Violation, rules: dict[str, Rule]) -> bool:
        """A finding on a changed line, or about the whole of a changed file."""
        path = Path(v.path).resolve()
        if path not in self.lines:
            return False
        rule = rules.get(v.code)
        if self.lines[path] is None or v.code in SYSTEM_CODES or rule is None or rule.document_level:
            return True
        lines = self.linter_lines(path)
        return any(line in lines for line in range(v.line, v.end_line + 1))

    def linter_lines(self, path: Path) -> set[int] | None:
        """The changed lines as healthlint numbers them. git ends lines at LF only, so in a file with
        a lone CR (old Mac line ends) it sees one long line: there the lines are compared afresh."""
        if path not in self._linter_lines:
            lines = self.lines[path]
            if lines and self.top is not None:
                lines = _cr_file_changes(path, self.top, self.ref) or lines
            self._linter_lines[path] = lines
        return self._linter_lines[path]


def _cr_file_changes(path: Path, top: Path, ref: str) -> set[int] | None:
    """Changed lines of a file holding a lone CR, by comparing its lines with REF's; None otherwise."""
    try:
        new = path.read_bytes()
    except OSError:
        return None
    if not LONE_CR.search(new):
        return None
    try:
        old = _git(["show", f"{ref}:{path.relative_to(top).as_posix()}"], top)
    except (GitError, ValueError):
        return None
    new_lines = re.split(r"\r\n|\r|\n", new.decode("utf-8", "surrogateescape"))
    old_lines = re.split(r"\r\n|\r|\n", old)
    changed = set()
    for tag, _, _, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            changed.update(range(j1 + 1, j2 + 1))
    return changed


def parse_patch(patch: str, top: Path) -> dict[Path, set[int]]:
    """The new-side line numbers each file's hunks touch, read from `git diff --unified=0` by its
    structure: a hunk header says how many lines follow, and those lines are content whatever they
    start with (an added line "++ note" is not a file header)."""
    changed: dict[Path, set[int]] = {}
    current: set[int] | None = None
    lines = patch.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("diff --git "):
            current = None
        elif line.startswith("+++ "):
            target = line[4:].rstrip("\t")  # git ends a name holding spaces with a tab
            current = None if target == "/dev/null" else changed.setdefault(
                (top / _unquote(target)[2:]).resolve(), set())
        elif m := HUNK.match(line):
            old_count, start, count = int(m.group(1) or 1), int(m.group(2)), int(m.group(3) or 1)
            if current is not None:
                current.update(range(start, start + count))
            remaining = old_count + count
            while remaining and i < len(lines):  # skip the hunk's content; "\ No newline" lines do not count
                if not lines[i].startswith("\\"):
                    remaining -= 1
                i += 1
    return changed


def changed_since(ref: str, cwd: Path | None = None) -> Changes:
    if not ref.strip():
        raise GitError("--diff needs a git ref (a branch, tag or commit), not an empty string")
    if ref.startswith("-"):
        raise GitError(f"--diff: {ref!r} is not a git ref (refs do not start with '-')")
    cwd = cwd or Path.cwd()
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip()).resolve()
    except GitError:
        raise GitError(f"--diff needs a git repository, and {cwd} is not inside one") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"--diff: {ref!r} is not a commit in this git repository") from None
    patch = _git(["diff", "--no-color", "--no-ext-diff", "--unified=0", "-M", "--src-prefix=a/", "--dst-prefix=b/",
                  "--end-of-options", ref, "--"], top)
    changes = Changes(ref, dict(parse_patch(patch, top)), top)
    for name in _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0"):
        if name:
            changes.lines[(top / name).resolve()] = None
    return changes
