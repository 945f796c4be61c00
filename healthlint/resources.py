"""Where the built-in rule specs and shared word lists live, and how their YAML is read.

In a wheel, the top-level `rules/` folder is shipped as `healthlint/rules/`; in a
source checkout (editable install) it is the `rules/` folder beside the package.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_PACKAGE = Path(__file__).resolve().parent


class DataError(Exception):
    """A rule spec or word list that cannot be used, with the file and line to fix."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    installed = _PACKAGE / "rules"
    return installed if installed.is_dir() else _PACKAGE.parent / "rules"


class KeyLines:
    """Line numbers of keys in a composed YAML document, for error messages."""

    def __init__(self, node):
        self.node = node

    def of(self, *path) -> int:
        node = self.node
        for key in path:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == key:
                        node = v
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
            else:
                break
        return node.start_mark.line + 1 if node is not None else 1


def read_yaml(path: Path, what: str = "rule pack"):
    """(data, KeyLines) of one YAML file; DataError naming the file and line when it cannot be read."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(name, 1, f"cannot read {what}: {exc}") from None
    try:
        data, node = load_yaml_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(name, mark.line + 1 if mark else 1, f"malformed YAML: {problem}") from None
    return data, KeyLines(node)


MAX_EXPANDED_NODES = 10_000   # a rule spec or front matter, with every alias written out


class AliasError(yaml.YAMLError):
    """YAML whose aliases (*name) expand too far or refer to themselves: nine levels of nine
    aliases in 400 bytes expand to billions of items when the data is read or printed."""

    def __init__(self, node, problem: str):
        super().__init__()
        self.problem, self.problem_mark = problem, node.start_mark


def load_yaml_text(text: str):
    """(data, node) of one YAML document, with the safe loader and aliases bounded."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is not None and "*" in text:   # no alias without a *
            _bound_aliases(node)
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _bound_aliases(root) -> None:
    """How many nodes the document has once every alias is written out, counted without
    writing them out (each shared node is counted once per use); too many, or a node that
    contains itself, is refused."""
    size: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in size:
            continue
        if children_done:
            open_nodes.discard(id(node))
            size[id(node)] = 1 + sum(size[id(child)] for child in _children(node))
            if size[id(node)] > MAX_EXPANDED_NODES:
                raise AliasError(node, f"its aliases (*name) expand to more than {MAX_EXPANDED_NODES:,} values")
            continue
        if id(node) in open_nodes:
            raise AliasError(node, "an alias (*name) refers to the value that contains it")
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)


def read_word_list(path: Path) -> frozenset[str]:
    """The words of a word list file, lowercased: one per line; blank lines and lines starting
    with # are left out. Raises OSError."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.lstrip().startswith("#"))


def medical_words_file() -> Path:
    """healthlint's list of drug names, conditions and abbreviations (spelling, readability)."""
    return rules_dir() / "lexicons" / "medical-words.txt"


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> dict:
    """A shared word list from rules/lexicons/NAME.yml: a mapping of kebab-case keys."""
    path = rules_dir() / "lexicons" / f"{name}.yml"
    data, lines = read_yaml(path, "word list")
    check_data(data, str(path), lines)
    return data


def check_data(data, path: str, lines: KeyLines, *where) -> None:
    """Word-list data: a mapping with kebab-case keys whose lists hold strings (YAML reads an
    unquoted no or 3.0 as a boolean or number: that is caught here, with its line)."""
    if not isinstance(data, dict):
        raise DataError(path, lines.of(*where), "must be a mapping of names to word lists or values")
    for key, value in data.items():
        if not isinstance(key, str) or key != key.lower() or "_" in key or " " in key:
            raise DataError(path, lines.of(*where, key), f"key {key!r} must be lower-case words joined by hyphens")
        items = value
        if isinstance(value, dict) and ("phrases" in value or "patterns" in value):
            items = (value.get("phrases") or []) + (value.get("patterns") or [])
        if isinstance(items, list) and not all(isinstance(item, str) for item in items):
            raise DataError(path, lines.of(*where, key), f"every item of '{key}' must be a quoted string")
