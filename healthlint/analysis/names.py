"""Proper names of organisations, departments, funders and studies ("Division of Sleep Medicine",
"National Heart, Lung, and Blood Institute", "Lantern Trial", "Effects of Aspirin in Gestation and
Reproduction (EAGeR)"): not a zone, a name can stand in any zone. The words of a name are not
claims and not treatments. The name cues are in rules/lexicons/zones.yml.

    name_spans(doc)                       # names of organisations, departments, funders, studies
    in_name(doc, start, end)              # [start, end) lies inside one name
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from healthlint.analysis.zone_cues import UPPER, phrase_alternation, word_set
from healthlint.resources import load_lexicon


@lru_cache(maxsize=1)
def _name_cues() -> dict:
    lex = load_lexicon("zones")
    connectors = "|".join(re.escape(c) for c in lex["name-connectors"])
    # a capitalised word: initials ("U.S.", "J. Smith"), "St.", "Mt.", "Ft.", a word or one capital;
    # the capital comes first, outside the alternatives, so that re skips ahead to one
    token = (rf"[{UPPER}](?:[a-z]?\.(?:[{UPPER}][a-z]?\.)+|\.(?=[^\S\n]+[{UPPER}])|(?<=[SMF])t\."
             rf"|[\w'’&-]*[\w'’]|)")
    sep = rf"(?:[^\S\n]+|,[^\S\n]+)(?:(?:{connectors})[^\S\n]+)*"
    return {
        "name_run": re.compile(rf"{token}(?:{sep}{token})+"),
        "name_token": re.compile(rf"{token}|,|(?<![\w&])(?:{connectors})(?![\w&])"),
        "acronym": re.compile(r"[^\S\n]*\((?P<acr>[A-Z][A-Za-z0-9&.-]{1,14})\)"),
        "organisation": word_set(lex["organisation-words"]),
        "cue_search": re.compile(r"(?<![\w-])(?:" + phrase_alternation(
            set(lex["organisation-words"]) | set(lex["study-words"]) | set(lex["study-title-openers"]))
            + r")(?:['’]s?)?(?![\w-])", re.I),
        "heads": word_set(lex["organisation-heads"]),
        "study": word_set(lex["study-words"]),
        "generic_study": word_set(lex["generic-study-words"]),
        "study_openers": word_set(lex["study-title-openers"]),
        "connectors": word_set(lex["name-connectors"]),
        "splitters": word_set(lex["name-splitters"]),
        "name_stopwords": word_set(lex["name-stopwords"]),
        "name_patterns": re.compile("|".join(f"(?:{p})" for p in lex["name-patterns"])),
    }


def name_spans(doc) -> list[tuple[int, int]]:
    """Prose spans of proper names of organisations, departments, funders and studies, in order
    and without overlaps: a run of capitalised words joined by of/for/and/the/in/&, with an
    organisation word ("Institute", "Foundation", "Division", "University", ...) or a study word
    ("Trial", "Study": with another specific word, or an acronym), "X for the Cure", or a study
    title opener with its acronym ("Effects of Aspirin in Gestation and Reproduction (EAGeR)").
    An acronym in brackets after a name is part of it, and the acronym alone later in the text is
    a name too. A capitalised word that starts a sentence is never a name by itself, and words
    before the part that holds the cue word are left out ("Researchers in | Boston Children's
    Hospital"). The words of a name are not claims and not treatments."""
    return doc.shared("name-spans", lambda: _find_names(doc.prose))


def names_within(doc, start: int, end: int) -> list[tuple[int, int]]:
    """The name spans that lie wholly inside prose[start:end], in order."""
    spans = name_spans(doc)
    i = bisect.bisect_left(spans, (start, start))
    out = []
    while i < len(spans) and spans[i][0] < end:
        if spans[i][1] <= end:
            out.append(spans[i])
        i += 1
    return out


def in_name(doc, start: int, end: int) -> bool:
    """True when prose[start:end] lies inside one name (see name_spans)."""
    spans = name_spans(doc)
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def _base(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word.rstrip("'.")


def _is_acronym(word: str) -> bool:
    """ "NIH", "EAGeR", "NHLBI": two capitals or more, and capitals at least 40% of the letters."""
    letters = [ch for ch in word if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 2 and upper >= 0.4 * len(letters)


def _find_names(prose: str) -> list[tuple[int, int]]:
    lex = _name_cues()
    spans: list[tuple[int, int]] = []
    acronyms: set[str] = set()
    for run in lex["name_run"].finditer(prose):
        found = _name_in_run(prose, run, lex)
        if found:
            spans.append(found[:2])
            if found[2]:
                acronyms.add(found[2])
    if acronyms:
        again = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True))
                           + r")(?![\w-])")
        spans.extend(m.span() for m in again.finditer(prose))
        spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _name_in_run(prose: str, run, lex) -> tuple[int, int, str | None] | None:
    """(start, end, acronym) of the name in one run of capitalised words, or None."""
    text = run.group(0)
    if not lex["cue_search"].search(text) and not lex["name_patterns"].search(text):
        return None
    tokens = [(m.start(), m.end(), m.group(0)) for m in lex["name_token"].finditer(text)]
    # kinds: "w" a capitalised word, "c" a connector, "," a comma
    kinds = ["," if t == "," else ("c" if t.lower() in lex["connectors"] and not t[0].isupper() else "w")
             for _, _, t in tokens]
    bases = [_base(t) for _, _, t in tokens]
    organisation, study = lex["organisation"], lex["study"]
    cues = [k for k in range(len(tokens)) if kinds[k] == "w" and (bases[k] in organisation or bases[k] in study)]
    special = lex["name_patterns"].search(text)
    first = next((k for k in range(len(tokens)) if kinds[k] == "w" and bases[k] not in lex["name_stopwords"]), None)
    if first is None:
        return None
    acronym_m = lex["acronym"].match(prose, run.end())
    acronym = acronym_m.group("acr") if acronym_m and _is_acronym(acronym_m.group("acr")) else None
    opener = bases[first] in lex["study_openers"]
    if not cues and not special and not (opener and acronym):
        return None

    def word_count(a, b):
        return sum(1 for k in range(a, b + 1) if kinds[k] == "w")

    if special and not cues:
        start_tok = first
        end_char = special.end()
        if word_count(start_tok, len(tokens) - 1) < 2 or tokens[start_tok][0] >= special.start():
            return None
        return run.start() + tokens[start_tok][0], run.start() + end_char, None
    if not cues:    # a study title with its acronym
        end = acronym_m.end()
        return run.start() + tokens[first][0], end, acronym
    # parts split at of/for/in/on: the name starts at the first part with a cue
    part_of, part = [], 0
    for k in range(len(tokens)):
        if kinds[k] == "c" and bases[k] in lex["splitters"]:
            part += 1
        part_of.append(part)
    # comma groups: a name starts at the group with its first cue ("Jane Doe, MD, | Harvard Medical
    # School"), unless that group goes on a list ("National Heart, Lung, | and Blood Institute")
    group_of, group = [], 0
    for k in range(len(tokens)):
        if kinds[k] == ",":
            group += 1
        group_of.append(group)
    first_group = group_of[cues[0]]
    group_start = next(k for k in range(len(tokens)) if group_of[k] == first_group and kinds[k] != ",")
    if first_group > 0 and kinds[group_start] == "c" and bases[group_start] in ("and", "&"):
        sizes = [0] * (group + 1)
        for g in group_of:
            sizes[g] += 1
        while first_group > 0 and sizes[first_group - 1] <= 3:
            first_group -= 1
    first_cue_part = part_of[cues[0]]
    start_tok = next(k for k in range(len(tokens)) if part_of[k] == first_cue_part and kinds[k] == "w"
                     and group_of[k] >= first_group)
    if opener and acronym and first < start_tok:
        start_tok = first
    while start_tok < cues[0] and bases[start_tok] in lex["name_stopwords"]:
        start_tok += 1
    while kinds[start_tok] != "w":
        start_tok += 1
    last_cue = cues[-1]
    end_tok = last_cue
    later_words = [k for k in range(last_cue + 1, len(tokens)) if part_of[k] == part_of[last_cue] and kinds[k] == "w"]
    if not later_words and part_of[last_cue] < part and bases[last_cue] in lex["heads"]:   # "Division | of ..."
        nxt = part_of[last_cue] + 1
        tail = [k for k in range(last_cue + 1, len(tokens)) if part_of[k] == nxt and kinds[k] == "w"
                and group_of[k] == group_of[last_cue]]
        if tail:
            end_tok = tail[-1]
    if word_count(start_tok, end_tok) < 2:
        return None
    if all(bases[k] in study for k in cues if start_tok <= k <= end_tok) and not acronym:
        specific = [k for k in range(start_tok, end_tok + 1) if kinds[k] == "w" and bases[k] not in study
                    and bases[k] not in lex["generic_study"]]
        capitals = any(len(tokens[k][2]) >= 2 and tokens[k][2].isupper() for k in range(start_tok, end_tok + 1)
                       if kinds[k] == "w" and bases[k] not in study)
        if len(specific) < 2 and not capitals:
            return None
    end = run.start() + tokens[end_tok][1]
    if end_tok == len(tokens) - 1 and acronym:
        return run.start() + tokens[start_tok][0], acronym_m.end(), acronym
    return run.start() + tokens[start_tok][0], end, None
