"""Datelines, the `dateline` zone of healthlint/analysis/zones.py: a short block "For Immediate
Release: March 3, 2021", "Published 3 May 2024", "March 3, 2021 | by ...", or the dateline that
opens the first body paragraph ("SACRAMENTO, Calif. (Aug. 22, 2017) -", "BOSTON — March 3, 2021 —",
"(Reuters Health) -", "Newswise —"). The cues are in rules/lexicons/zones.yml."""
from __future__ import annotations

import re
from functools import lru_cache

from healthlint.analysis.currency import MONTHS
from healthlint.analysis.zone_cues import UPPER, any_of, heading_key, phrase_alternation, word_set
from healthlint.resources import load_lexicon

DATE_LINE_REST_WORDS = 6    # a block that opens with a date is a dateline when this little follows


@lru_cache(maxsize=1)
def _dateline_cues() -> dict:
    lex = load_lexicon("zones")
    month = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
    day = r"\d{1,2}(?:st|nd|rd|th)?(?!\d)"
    year = r"(?:19|20)\d\d"
    weekday = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    date = (rf"(?:{weekday},?\s+)?(?:{month}\s+{day}(?:,?\s+{year})?|{day}\s+{month},?\s+{year}|{month},?\s+{year}"
            rf"|{year}-\d\d-\d\d|\d{{1,2}}/\d{{1,2}}/(?:19|20)?\d\d)")
    wires = phrase_alternation(lex["wires"])
    pw = rf"(?-i:[{UPPER}](?:[A-Za-zÀ-ÿ'’.-]*[A-Za-zÀ-ÿ.])?)"   # one word of a place name
    place = rf"{pw}(?:[ \t]+{pw}){{0,3}}(?:[ \t]+(?:and|&)[ \t]+{pw}(?:[ \t]+{pw}){{0,3}})?"
    state = rf",[ \t]*{pw}(?:[ \t]+{pw}){{0,2}}"
    dash = r"[ \t]*(?:-{1,3}|[–—─‒―]{1,2})[ \t]*"
    colon = r"[ \t]*:[ \t]*"
    paren = r",?[ \t]*[(\[][^()\[\]\n]{1,90}[)\]]"
    wire_prefix = rf"(?:(?:{wires}|\((?:{wires})\))(?:{dash}|{colon}))"
    return {
        "line": any_of(lex["dateline-line-starts"]),
        "words": int(lex["dateline-max-words"]),
        "date": re.compile(date, re.I),
        "date_line": re.compile(rf"{date}(?:[ \t]*(?:[|/,–—-]|$))", re.I),
        "not_places": word_set(lex["not-places"]),
        "place": re.compile(
            rf"(?P<wire>{wire_prefix})?(?P<place>{place})(?P<state>(?:{state}){{0,2}})(?P<date>,?[ \t]+{date})?"
            rf"(?P<paren>{paren})?(?P<slash>[ \t]*/[ \t]*(?:{wires}|{pw}(?:[ \t]+{pw}){{0,2}})[ \t]*/|{dash}\((?:{wires})\))?"
            rf"(?P<date2>{dash}{date})?(?P<sep>{dash}|{colon})", re.I),
        "date_first": re.compile(
            rf"(?P<wire>{wire_prefix})?(?P<date>{date})(?:(?:,|{dash}|[ \t]*/)[ \t]*{place}(?:{state}){{0,2}})?"
            rf"(?P<sep>{dash}|{colon}|[ \t]*[|/][ \t]*)", re.I),
        "paren": re.compile(
            rf"(?P<wire>{wire_prefix})?\((?P<place>{place})(?P<state>(?:{state}){{0,2}})"
            rf"(?P<date>(?:,|{dash})[ \t]*{date})?\)(?P<sep>{dash}|{colon}|[ \t]+)", re.I),
        "wire": re.compile(wire_prefix, re.I),
    }


def is_dateline_block(text: str, words: int) -> bool:
    """Whether a block of `words` words is a dateline: "For Immediate Release: March 3, 2021", or
    a date with little after it ("March 3, 2021 | by Lena Brook"; not a date and a sentence)."""
    cues = _dateline_cues()
    if words > cues["words"]:
        return False
    m = cues["line"].match(text)
    if m and cues["date"].search(text, m.end(), m.end() + 40):
        return True
    m = cues["date_line"].match(text)
    return bool(m and len(text[m.end():].split()) <= DATE_LINE_REST_WORDS)


def opening_dateline(text: str) -> int | None:
    """The length of the dateline that opens a paragraph's text (trailing spaces left out), or None."""
    cues = _dateline_cues()
    head = text[:300]
    end = None
    m = cues["place"].match(head)
    if m and _place_ok(m, head):
        end = m.end()
    if end is None and (m := cues["paren"].match(head)):
        if m.group("wire") or m.group("state") or m.group("date") or m.group("sep").strip():
            end = m.end()
    if end is None and (m := cues["date_first"].match(head)):
        end = m.end()
    if end is None and (m := cues["wire"].match(head)):
        end = m.end()
    if end is None:
        return None
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _place_ok(m, head: str) -> bool:
    """Whether "PLACE -" reads as a dateline: with a state, a date, a wire or brackets; or a
    place in capitals; or a short place with "--" or an em dash before a capital. A hyphen
    between two words ("Omega-3", "Aug. 25-28") is not a dateline's dash."""
    place, raw_sep = m.group("place"), m.group("sep")
    sep = raw_sep.strip()
    after = head[m.end():m.end() + 1]
    letters = [ch for ch in place if ch.isalpha()]
    capitals = len(letters) >= 3 and all(ch.isupper() for ch in letters)
    if heading_key(place.split()[0]) in _dateline_cues()["not_places"]:
        return False
    if raw_sep == "-" and (after.isdigit() or not (m.group("date") or m.group("date2") or m.group("paren"))):
        return False
    if m.group("date") and not m.group("date").startswith(",") and not (capitals or m.group("state")):
        return False    # "From Aug. 25": a date right after a word needs a place in capitals or a state
    if m.group("date") or m.group("date2") or m.group("paren") or m.group("slash") or m.group("state"):
        return True
    if sep == ":":
        return False
    starts_sentence = after == "" or after.isupper() or after.isdigit() or after in "\"“‘'"
    if capitals:
        return starts_sentence or sep.startswith(("-", "–", "—"))
    return sep in ("--", "—", "---", "——") and len(place.split()) <= 3 and after.isupper()
