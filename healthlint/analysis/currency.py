"""Who wrote an article and when: the front matter (keys listed in rules/lexicons/currency.yml)
and visible lines such as "By Dr Jane Smith" or "Last reviewed: 14 September 2026"; plain-text
articles have only the visible lines. Read by missing-author, missing-date and outdated-review."""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from functools import lru_cache

from healthlint.resources import load_lexicon

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERNS = [
    re.compile(r"\b(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?\b"),
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<y>\d{4})\b", re.I),
    re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b", re.I),
    re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})\b"),
    re.compile(r"\b" + _MONTH + r",?\s+(?P<y>\d{4})\b", re.I),
]


def parse_date(value) -> dt.date | None:
    """A date from a front-matter value or a line of text: ISO ("2026-09-14"),
    "14 September 2026", "September 14, 2026", "14/09/2026" (day first unless that
    cannot be), "September 2026", a YAML/TOML date or datetime. A month or year alone
    gives its last day (the most generous reading for an age check)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200:
        return dt.date(value, 12, 31)
    if not isinstance(value, str):
        return None
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(value):
            parts = m.groupdict()
            year = int(parts["y"])
            month = MONTHS[parts["mon"].lower()] if parts.get("mon") else int(parts["m"])
            day = int(parts["d"]) if parts.get("d") else None
            if pattern is DATE_PATTERNS[3] and month > 12 >= day:
                month, day = day, month  # 09/14/2026: month first
            if not 1 <= month <= 12 or not 1900 <= year <= 2200:
                continue
            day = day or calendar.monthrange(year, month)[1]
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None  # "31 February 2026" is a typo, not "February 2026"
    stripped = value.strip()
    return parse_date(int(stripped)) if stripped.isdigit() else None


@lru_cache(maxsize=1)
def _lexicon():
    lex = load_lexicon("currency")
    return {
        "author": frozenset(lex["author-keys"]),
        "date": frozenset(lex["date-keys"]),
        "byline": [re.compile(p, re.I) for p in lex["byline-patterns"]],
        "byline-words": int(lex["byline-max-words"]),
        "dateline": [re.compile(p, re.I) for p in lex["date-line-patterns"]],
        "contact": [re.compile(p, re.I) for p in lex["contact-patterns"]],
        "line-cue": _any_of(lex["byline-patterns"] + lex["date-line-patterns"] + lex["contact-patterns"]),
        "issuer": [re.compile(p) for p in lex["issuer-patterns"]],
        "organisation": re.compile(r"\b(?:" + "|".join(lex["organisation-words"]) + r")\b"),
        "profile": re.compile(lex["issuer-profile-start"]),
        "profile-nouns": re.compile(r"\b(?:" + "|".join(lex["issuer-profile-nouns"]) + r")\b"),
        "closing-name": re.compile(lex["issuer-closing-name"]),
        "closing-blocks": int(lex["issuer-closing-blocks"]),
        "closing-funding": re.compile(lex["issuer-closing-funding"]),
    }


def _any_of(patterns: list[str]):
    """One case-insensitive regex whose match() succeeds where one of `patterns`' would: most
    lines start with none of them, and one match() tells so (None when a pattern refers to a
    group by number or name, which joining them would renumber)."""
    if any(re.search(r"\\[1-9]|\(\?P=", p) for p in patterns):
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def _key(key) -> str:
    return re.sub(r"[\s-]+", "_", str(key).strip().lower())


def _filled(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return any(_filled(v) for v in (value.values() if isinstance(value, dict) else value))
    return value is not None


def _prose_lines(doc):
    """Each source line's share of the prose, block by block (a heading or a
    "By ..." line is its own line even inside a plain-text paragraph)."""
    for block in doc.blocks:
        start = block.start
        end_in_source = doc.prose_map[block.end - 1]
        newline = doc.source.find("\n", doc.prose_map[block.start], end_in_source)
        while newline != -1:   # a line break is a space in prose, mapped to the newline
            i = bisect.bisect_left(doc.prose_map, newline, block.start, block.end)
            if i < block.end and doc.prose_map[i] == newline:
                yield doc.prose[start:i].strip()
                start = i + 1
            newline = doc.source.find("\n", newline + 1, end_in_source)
        yield doc.prose[start:block.end].strip()


DATE_REACH = 60   # characters after a date line's opening that may hold its date


class Currency:
    """What an article says about who wrote it and when."""

    def __init__(self, doc):
        lex = _lexicon()
        self.has_author = False
        self.dates: list[dt.date] = []
        self.unreadable: list[str] = []
        for key, value in doc.metadata.items():
            key = _key(key)
            if key in lex["author"] and _filled(value):
                self.has_author = True
            if key in lex["date"] and _filled(value):
                date = parse_date(value)
                if date:
                    self.dates.append(date)
                else:
                    self.unreadable.append(f"{key}: {value}")
        self.has_author = self.has_author or _names_issuer(doc, lex)
        from healthlint.analysis.zones import zones_of
        self.is_news = zones_of(doc).is_news   # a dated record of its day, not a page under review
        dateline = _dateline_date(doc)
        if dateline:
            self.dates.append(dateline)
        for line in _prose_lines(doc):
            if lex["line-cue"] and not lex["line-cue"].match(line):
                continue   # no byline, contact or date line
            byline = (len(line.split()) <= lex["byline-words"]
                      and any(p.match(line) for p in lex["byline"]))
            contact = any(p.match(line) for p in lex["contact"])   # a press release's named contact
            self.has_author = self.has_author or byline or contact
            dateline = next((m for p in lex["dateline"] if (m := p.match(line))), None)
            if byline or dateline:
                # a date line's date comes right after its opening ("(Aug. 22, 2017) - ..."), not
                # from anywhere in the paragraph it opens
                date = parse_date(line[dateline.end():dateline.end() + DATE_REACH] if dateline else line)
                if date:
                    self.dates.append(date)


def _names_issuer(doc, lex) -> bool:
    """Whether a press release says who issued it: an "About <Name>" section, or "<Name> today
    announced" near the top. An organisation answers for a release as an author does for an article."""
    if not hasattr(doc, "sentences"):
        return False
    from healthlint.analysis.zones import zones_of
    zones, blocks = zones_of(doc), doc.blocks
    if any(lex["organisation"].search(doc.prose, s, e) for s, e in zones.datelines):
        return True   # "PROVIDENCE, R.I. [Brown University] -": the dateline names the issuer
    for i, block in enumerate(blocks):
        text = doc.prose[block.start:block.end]
        if lex["issuer"][0].match(text) and zones.block_zone(block) in ("boilerplate", "heading", "body"):
            # "About Harbor Pharma" and a paragraph on an organisation, not "About migraine"
            after = doc.prose[blocks[i + 1].start:blocks[i + 1].end] if i + 1 < len(blocks) else ""
            if zones.block_zone(block) == "boilerplate" or lex["organisation"].search(text + " " + after[:300]):
                return True
        if i < ISSUER_BLOCKS and any(p.search(text) for p in lex["issuer"][1:]):
            return True
        if zones.block_zone(block) == "boilerplate" and lex["profile"].match(text) \
                and (lex["organisation"].search(text, 0, 200) or lex["profile-nouns"].search(text, 0, 200)):
            return True   # "UC San Francisco (UCSF) is a leading university ...", closing the release
        if i >= len(blocks) - lex["closing-blocks"] and zones.block_zone(block) == "boilerplate":
            name = lex["closing-name"].match(text)
            if name and lex["organisation"].search(name.group("name")) \
                    and not lex["closing-funding"].search(doc.prose, *doc.sentence_at(block.start)):
                return True   # "Marshfield Clinic provides patient care ...", closing the release
    return False


ISSUER_BLOCKS = 4


def _dateline_date(doc) -> dt.date | None:
    """The date in the article's dateline zone ("SACRAMENTO, Calif. (Aug. 22, 2017) -",
    "SEATTLE - Dec. 5, 2016 -", "For Immediate Release: March 3, 2021"), if it holds one."""
    from healthlint.analysis.zones import zones_of
    for start, end in zones_of(doc).datelines:
        date = parse_date(doc.prose[start:end])
        if date:
            return date
    return None


def currency_of(doc) -> Currency:
    return doc.shared(Currency, lambda: Currency(doc))
