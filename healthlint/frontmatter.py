"""Front matter: the YAML (---) or TOML (+++) block at the top of a Markdown file."""
from __future__ import annotations

import re

FRONT_MATTER_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
# front matter starts right after its fence (no blank line, as in Pandoc) with a key or a comment
FRONT_MATTER_START = {"yaml": re.compile(r"(?:#|[^\s:#][^:\n]*:(?:[ \t]|$))", re.M),
                      "toml": re.compile(r"(?:#|\[|[\w\"'.-]+[ \t]*=)")}


def split_front_matter(source: str) -> tuple[str | None, str | None, int]:
    """Return (kind, raw front matter, offset where the body starts)."""
    first_line, _, _ = source.partition("\n")
    fence = first_line.rstrip()
    if fence not in FRONT_MATTER_FENCES:
        return None, None, 0
    closers = FRONT_MATTER_FENCES[fence]
    pos = len(first_line) + 1
    while pos <= len(source):
        nl = source.find("\n", pos)
        line_end = len(source) if nl == -1 else nl
        if source[pos:line_end].rstrip() in closers:
            kind = "yaml" if fence == "---" else "toml"
            raw = source[len(first_line) + 1:pos]
            if not FRONT_MATTER_START[kind].match(raw):  # "---" then prose: a thematic break, not metadata
                return None, None, 0
            return kind, raw, (line_end + 1 if nl != -1 else line_end)
        if nl == -1:
            break
        pos = nl + 1
    return None, None, 0


def read_front_matter(raw: str | None, kind: str | None) -> tuple[dict, str | None]:
    """(front matter as a mapping, or {}; the reason it could not be read, or None)."""
    if not raw:
        return {}, None
    try:
        if kind == "toml":
            import tomllib
            data = tomllib.loads(raw)
        else:
            from healthlint.resources import load_yaml_text
            data = load_yaml_text(raw)[0]
    except Exception as exc:  # malformed front matter is reported by a rule, never a crash
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, f"{kind.upper()} front matter cannot be read: {problem}"
    if not isinstance(data, dict):
        return {}, f"{kind.upper()} front matter is not a set of keys and values"
    return data, None
