"""Literal phrases as regexes: whole words, any run of spaces and hyphens between words, either
apostrophe (' or ’)."""
from __future__ import annotations

import re
from typing import Iterable

SEPARATOR = r"[\s-]+"
APOSTROPHE = "['’]"


def _units(phrase: str) -> list[str]:
    """The regex pieces of `phrase`, one per character, one per run of spaces and hyphens."""
    units = []
    for token in re.split(r"([\s-]+)", phrase.strip()):
        if token[:1].isspace() or token[:1] == "-":
            units.append(SEPARATOR)
        else:
            units += [APOSTROPHE if ch in "'’" else re.escape(ch) for ch in token]
    return units


def _word_end(phrase: str) -> str:
    return r"(?![\w-])" if re.search(r"\w$", phrase) else ""


def phrase_pattern(phrase: str) -> str:
    """A literal phrase as a regex (to be matched case-insensitively). A phrase that begins
    with a letter or digit matches only at a word start, one that ends with one only at a word
    end (a hyphen joins words: "detox" is not found in "re-detox")."""
    start = r"(?<![\w-])" if re.match(r"\w", phrase) else ""
    return start + "".join(_units(phrase)) + _word_end(phrase)


def trie_pattern(phrases: Iterable[str]) -> str:
    """Phrases as one regex that matches what their phrase_pattern()s match, longest first, but
    without the word-start check: a trie with one branch per next character, where re would
    try every phrase in turn. Letters are lowercased: match it case-insensitively."""
    root: dict = {}
    for phrase in phrases:
        node = root
        for unit in _units(phrase.lower()):
            node = node.setdefault(unit, {})
        node.setdefault("", set()).add(_word_end(phrase))

    def emit(node: dict) -> str:
        branches = [unit + emit(child) for unit, child in sorted(node.items()) if unit]
        branches += sorted(node.get("", ()), reverse=True)   # end here only when no longer phrase matches
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(root)


def phrase_trie(phrases: Iterable[str]) -> list[str]:
    """Phrases as at most two tries: those that begin with a word, behind one shared word-start
    check, and the others."""
    phrases = list(phrases)
    words = [p for p in phrases if re.match(r"\w", p)]
    others = [p for p in phrases if not re.match(r"\w", p)]
    return ([r"(?<![\w-])" + trie_pattern(words)] if words else []) + ([trie_pattern(others)] if others else [])
