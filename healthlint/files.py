"""Finding the files to lint and reading them safely (never writing them)."""
from __future__ import annotations

import os
import re
import stat
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Iterable

SKIP_DIRS = {"node_modules"}
BINARY_SNIFF = 8192


@dataclass(frozen=True)
class InputFile:
    display: str            # the path as the user will see it
    path: Path | None       # None for stdin


@dataclass
class Discovery:
    files: list[InputFile]
    errors: list[str]       # missing paths: exit 2
    notes: list[str]        # directories with nothing to lint


WILDCARDS = ("**/", "**", "*")   # any folders or none; any characters; any characters but '/'


class _Glob:
    """A glob pattern as a matcher that follows every way to match at once: the state is the set
    of the pattern's steps reached so far, so matching takes one move per character of the path.
    (A regex backtracks: `*a*a*a*b` over a long name, or twenty `**/` over a deep tree, took
    minutes.) Moves already made are remembered, so a common pattern costs a lookup per character."""

    def __init__(self, pattern: str):
        steps: list[str] = []   # a wildcard, '?' (one character but '/') or a literal character
        i = 0
        while i < len(pattern):
            step = "**/" if pattern.startswith("**/", i) else "**" if pattern.startswith("**", i) else pattern[i]
            if not (step in WILDCARDS and steps and steps[-1] == step):  # '**/**/' is '**/'
                steps.append(step)
            i += len(step)
        self.steps = steps
        self.prefix = pattern.split("*")[0].split("?")[0]   # the literal start every match begins with
        self.literals = {s for s in steps if s not in WILDCARDS and s != "?"} | {"/"}
        self.start = self._skip_empty({0})
        self.moves: dict[tuple[frozenset, str], frozenset] = {}

    def _skip_empty(self, states) -> frozenset:
        """`states` and the steps after them that wildcards matching nothing lead to."""
        out = set()
        for i in states:
            out.add(i)
            while 0 <= i < len(self.steps) and self.steps[i] in WILDCARDS:
                i += 1
                out.add(i)
        return frozenset(out)

    def _move(self, states: frozenset, c: str) -> frozenset:
        """The states after reading `c` ("" stands for any character that is not '/' or a literal).
        A state is the index of the next step, or ~i inside the '**/' at i (which must end at a '/')."""
        following = set()
        for i in states:
            if i < 0:
                i = ~i
            step = self.steps[i] if i < len(self.steps) else None
            if step == "**/":
                following.add(~i)
            if step == "**" or (step == "*" and c != "/"):
                following.add(i)    # the wildcard goes on
            if (step == "**/" and c == "/") or (step == "?" and c != "/") or (step == c and step not in WILDCARDS):
                following.add(i + 1)
        return self._skip_empty(following)

    def match(self, text: str) -> bool:
        """Whether `text`, or a part of it that ends before a '/', matches (a folder matches what
        is inside it)."""
        if not text.startswith(self.prefix):
            return False
        if len(self.prefix) == len(self.steps):   # no wildcard
            return len(text) == len(self.prefix) or text[len(self.prefix)] == "/"
        done, states = len(self.steps), self.start
        if len(self.moves) > 10_000:
            self.moves.clear()
        for c in text:
            if c == "/" and done in states:
                return True
            key = (states, c if c in self.literals else "")
            states = self.moves.get(key)
            if states is None:
                states = self.moves[key] = self._move(*key)
            if not states:
                return False
        return done in states


@lru_cache(maxsize=256)
def _glob(pattern: str) -> _Glob:
    return _Glob(pattern)


def glob_match(pattern: str, relpath: str, abspaths: Iterable[str] = ()) -> bool:
    """gitignore-like: a pattern without '/' matches any path component;
    one with '/' matches the path from the root; a folder matches what is inside it.
    `*` and `?` do not match '/', `**` does; `**/` is any number of folders.
    A pattern that starts with '/' is anchored at the root, and is also matched against
    `abspaths`, the file's absolute paths ("/home/me/site/drafts")."""
    pattern = pattern.strip()
    rel = relpath.replace(os.sep, "/")
    while rel.startswith("./"):
        rel = rel[2:]
    if "/" not in pattern.rstrip("/"):
        return any(_glob(pattern.rstrip("/")).match(part) for part in PurePosixPath(rel).parts)
    if pattern.startswith("/") and any(_glob(pattern.strip("/")).match(p.replace(os.sep, "/").lstrip("/"))
                                       for p in abspaths):
        return True
    return _glob(pattern.strip("/")).match(rel)


def relative_to_root(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _git_ignored(folder: Path, candidates: list[Path]) -> set[Path]:
    """Which of `candidates` (resolved paths) git would ignore in a checkout; nothing when git
    or a repository is absent."""
    if not candidates:
        return set()
    try:
        done = subprocess.run(["git", "check-ignore", "-z", "--stdin"], cwd=folder,
                              input=b"\0".join(os.fsencode(str(p)) for p in candidates),
                              capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set()
    if done.returncode not in (0, 1):
        return set()
    return {Path(os.fsdecode(p)) for p in done.stdout.split(b"\0") if p}


def discover(paths: list[str], include: list[str], exclude: list[str], root: Path,
             stdin_name: str | None = None) -> Discovery:
    found: list[InputFile] = []
    errors: list[str] = []
    notes: list[str] = []
    seen: set[Path] = set()

    def excluded(p: Path) -> bool:
        if not exclude:
            return False
        # an absolute pattern is matched against the path as given and with symlinks resolved
        rel, absolute = relative_to_root(p, root), (os.path.abspath(p), str(p.resolve()))
        return any(glob_match(g, rel, absolute) for g in exclude)

    def included(p: Path, name: str) -> bool:
        """A pattern with a '/' matches the path from the config's folder ("articles/**/*.md"),
        one without matches the file's name ("*.md")."""
        return any(glob_match(g, relative_to_root(p, root)) if "/" in g else glob_match(g, name) for g in include)

    for arg in paths:
        if arg == "-":
            if not any(f.path is None for f in found):  # standard input can be read once
                found.append(InputFile(stdin_name or "-", None))
            continue
        path = Path(arg)
        if path.is_dir():
            candidates: list[Path] = []
            for folder, dirs, names in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                                 and not excluded(Path(folder) / d))
                for name in sorted(names):
                    p = Path(folder) / name
                    # is_file() first: it is False for a symlink loop, which cannot be resolved
                    if included(p, name) and p.is_file() and not excluded(p):
                        candidates.append(p)
            real = {p: p.resolve() for p in candidates}
            ignored = _git_ignored(path, list(real.values()))
            kept = [p for p in candidates if real[p] not in ignored]
            if not kept:
                notes.append(f"{arg}: no files to lint (looked for {', '.join(include)})")
            # a file reached through a symlink is shown under its own path when that is walked too
            for p in sorted(kept, key=lambda p: (p.is_symlink(), p.as_posix())):
                if real[p] not in seen:
                    seen.add(real[p])
                    found.append(InputFile(p.as_posix(), p))
        elif path.exists():
            real = path.resolve()
            if not excluded(path) and real not in seen:
                seen.add(real)
                found.append(InputFile(arg, path))
        elif path.is_symlink():
            errors.append(f"{arg}: broken symbolic link (a loop, or its target does not exist)")
        else:
            errors.append(f"{arg}: no such file or directory")
    return Discovery(found, errors, notes)


class ReadError(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def too_big(size: int, max_size: int) -> ReadError:
    return ReadError(f"file is {size / 1048576:.1f} MB, over the {max_size / 1048576:.1f} MB limit "
                     "(max-file-size); not checked")


def decode(data: bytes, max_size: int) -> str:
    """Bytes -> text, or ReadError with a message a writer can act on."""
    if len(data) > max_size:
        raise too_big(len(data), max_size)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ReadError("file is UTF-16 text; save it as UTF-8 to check it")
    if b"\0" in data[:BINARY_SNIFF]:
        raise ReadError("file looks binary (it contains NUL bytes); not checked")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position_of_byte(body, exc.start)
        raise ReadError(f"not valid UTF-8 (byte 0x{body[exc.start]:02x}); save the file as UTF-8 to check it",
                        line, column) from None


LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column of a byte, counting lines as the linter does (CRLF, CR and LF each end one)."""
    line, line_start = 1, 0
    for m in LINE_BREAK.finditer(data, 0, offset):
        line, line_start = line + 1, m.end()
    return line, len(data[line_start:offset].decode("utf-8", "replace")) + 1


def read_bytes(item: InputFile, max_size: int, stdin=None) -> bytes:
    if item.path is None:
        data = stdin.read(max_size + 1)  # a bounded read: `cat /dev/zero | healthlint -` must not fill memory
        if len(data) > max_size:
            raise ReadError(f"standard input is over the {max_size / 1048576:.1f} MB limit (max-file-size); "
                            "not checked")
        return data
    try:
        info = item.path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO without a writer would block the run forever
            raise ReadError("not a regular file (a pipe, socket or device); not checked; use '-' to read a pipe")
        size = info.st_size
        if size > max_size:
            raise too_big(size, max_size)
        with open(item.path, "rb") as fh:
            return fh.read(min(size, max_size) + 1)  # a big limit reserves no memory for a small file
    except ReadError:
        raise
    except FileNotFoundError:
        raise ReadError("file disappeared before it could be read") from None
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror or exc}") from None
