"""The cue lists of document zones (healthlint/analysis/zones.py), compiled from
rules/lexicons/zones.yml: reference lists, boilerplate, bylines and captions. The cues of datelines,
attributed speech and names are compiled in analysis/datelines.py, speech.py and names.py."""
from __future__ import annotations

import re
from functools import lru_cache

from healthlint.matching import Matcher
from healthlint.resources import load_lexicon

UPPER = "A-ZÀ-ÖØ-Þ"


def word_set(items) -> frozenset:
    return frozenset(str(w).lower().replace("’", "'") for w in items)


def any_of(patterns) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def phrase_alternation(items) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(items, key=len, reverse=True))


def grouped_phrase_alternation(items) -> str:
    """phrase_alternation(items) with the phrases that begin with the same character grouped under
    it (see grouped_alternation): for case-sensitive regexes."""
    return grouped_alternation([re.escape(w).replace(r"\ ", r"\s+") for w in sorted(items, key=len, reverse=True)])


def grouped_alternation(literals: list[str]) -> str:
    """ "|".join(literals) (escaped literals, in order) with those that begin with the same character
    grouped under it ("s(?:ays|aid)"): at any position re tries the same literals in the same order
    (the others cannot match there), so a case-sensitive regex finds the same matches, testing each
    group's first character once instead of each literal's."""
    groups: dict[str, list[str]] = {}
    for literal in literals:
        first = literal[:2] if literal.startswith("\\") else literal[:1]
        groups.setdefault(first, []).append(literal[len(first):])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


def heading_key(text: str) -> str:
    """A heading's text as the lexicon lists it: lower case, single spaces, no final : or ."""
    return " ".join(text.replace("’", "'").lower().split()).rstrip(" :.").strip()


@lru_cache(maxsize=1)
def zone_cues() -> dict:
    lex = load_lexicon("zones")
    return {
        "reference_headings": word_set(lex["reference-headings"]),
        "reference_starts": any_of(lex["reference-starts"]),
        "entry_features": [re.compile(p, re.I) for p in lex["reference-entry-patterns"]],
        "entry_start": re.compile(lex["reference-entry-start"]),
        "boilerplate_headings": word_set(lex["boilerplate-headings"]),
        "contact_headings": word_set(lex["contact-headings"]),
        "contact_starts": any_of(lex["contact-starts"]),
        "contact_line": any_of(lex["contact-line-patterns"]),
        "contact_words": int(lex["contact-line-max-words"]),
        "boilerplate_starts": any_of(lex["boilerplate-starts"]),
        "boilerplate_sentence": Matcher(patterns=lex["boilerplate-sentence-patterns"]),
        "finding": re.compile(rf"\b(?:{phrase_alternation(lex['finding-verbs'])})\b", re.I),
        "about": re.compile(lex["about-start"]),
        "about_body": word_set(lex["about-body-words"]),
        "about_institution": re.compile(rf"\b(?:{phrase_alternation(lex['about-institution-cues'])})", re.I),
        "organisation_search": re.compile(r"(?<![\w-])(?:" + phrase_alternation(lex["organisation-words"])
                                          + r")(?![\w-])", re.I),
        "end_mark": re.compile(r"\s*(?:" + "|".join(lex["end-mark-patterns"]) + r")\s*", re.I),
        "end_mark_line": re.compile(lex["end-mark-line"], re.M),
        "byline": any_of(lex["byline-starts"]),
        "news_release_starts": any_of(lex["news-release-starts"]),
        "byline_words": int(lex["byline-max-words"]),
        "caption": any_of(lex["caption-starts"]),
        "caption_words": int(lex["caption-max-words"]),
        "caption_cue_words": int(lex["caption-cue-max-words"]),
    }
