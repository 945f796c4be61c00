"""Authorship and currency: missing-author (HL203), missing-date (HL204) and
outdated-review (HL205). They read the front matter (keys listed in
rules/lexicons/completeness.yml) and visible lines such as "By Dr Jane Smith" or
"Last reviewed: 14 September 2026"; plain-text articles have only the visible lines.
Findings sit on line 1.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from functools import lru_cache

from healthlint.model import Finding, Rule, RuleDocs, Severity
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
    lex = load_lexicon("completeness")
    return {
        "author": frozenset(lex["author-keys"]),
        "date": frozenset(lex["date-keys"]),
        "byline": [re.compile(p, re.I) for p in lex["byline-patterns"]],
        "byline-words": int(lex["byline-max-words"]),
        "dateline": [re.compile(p, re.I) for p in lex["date-line-patterns"]],
    }


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
        for line in _prose_lines(doc):
            byline = (len(line.split()) <= lex["byline-words"]
                      and any(p.match(line) for p in lex["byline"]))
            self.has_author = self.has_author or byline
            dateline = next((m for p in lex["dateline"] if (m := p.match(line))), None)
            if byline or dateline:
                date = parse_date(line[dateline.end():] if dateline else line)
                if date:
                    self.dates.append(date)


class CurrencyRule(Rule):
    document_level = True

    def check(self, doc, options):
        if doc.prose.strip():
            message = self.problem(doc.shared(Currency, lambda: Currency(doc)), options, doc.is_markdown)
            if message:
                yield Finding(0, 0, message, None, True)

    def problem(self, info: Currency, options: dict, markdown: bool) -> str | None:
        raise NotImplementedError


class MissingAuthor(CurrencyRule):
    def problem(self, info, options, markdown):
        if info.has_author:
            return None
        where = 'add "author:" (and "medical_reviewer:") to the front matter, or' if markdown else "add"
        return f'no author or medical reviewer is named; {where} a visible "By ..." line with their name and role'


class MissingDate(CurrencyRule):
    def problem(self, info, options, markdown):
        if info.dates:
            return None
        if info.unreadable:
            return f'the date "{info.unreadable[0]}" could not be read; write it as YYYY-MM-DD'
        where = 'add "last_reviewed: YYYY-MM-DD" to the front matter, or' if markdown else "add"
        return f'no publication or review date; {where} a visible "Last reviewed: ..." line'


def today(options: dict) -> dt.date:
    """The `today` option (YYYY-MM-DD, for tests and reproducible builds), else today."""
    value = str(options.get("today", "") or "").strip()
    return dt.date.fromisoformat(value) if value else dt.date.today()


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class OutdatedReview(CurrencyRule):
    def check_option(self, name, value):
        if name == "today" and value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return f"must be a date as YYYY-MM-DD, or empty for the real date, not {value!r}"
        return super().check_option(name, value)

    def problem(self, info, options, markdown):
        years = int(options["max-age-years"])
        if not info.dates or max(info.dates) >= years_before(today(options), years):
            return None
        return (f"the newest date on this article is {max(info.dates).isoformat()}, more than {years} years ago; "
                "review it against current guidance and update its review date")


_STANDARD = ("JAMA benchmarks (Silberg, Lundberg and Musacchio, JAMA 1997;277:1244-5): authorship "
             "(authors and contributors, their affiliations and credentials) and currency (dates content "
             "was posted and updated); HONcode principles 1 (authority) and 4 (attribution, with dates); "
             "DISCERN question 5 (is it clear when the information was produced?).")
_CURRENCY_OPTIONS_DOC = ("Front-matter keys and visible-line patterns are listed in "
                         "rules/lexicons/completeness.yml.")

MISSING_AUTHOR = MissingAuthor(
    code="HL203", name="missing-author", severity=Severity.INFO,
    summary="The article names no author or medical reviewer.",
    docs=RuleDocs(
        what="Reports, on line 1, an article whose front matter has no author or reviewer key (author, "
             "authors, byline, reviewer, medical_reviewer, reviewed_by, ...) and whose text has no visible "
             "byline (\"By Dr Jane Smith\", \"Medically reviewed by ...\"). Plain-text articles have no "
             "front matter, so only a visible byline counts there. " + _CURRENCY_OPTIONS_DOC,
        why="Readers judge health information partly by who wrote and checked it. An unsigned article "
            "cannot be held to account, and readers cannot tell a clinician from a copywriter.",
        standard=_STANDARD,
        bad="---\ntitle: Turmeric for joint pain\n---",
        good="---\ntitle: Turmeric for joint pain\nauthor: Dr Jane Smith, GP\nmedical_reviewer: Dr Ali Khan\n---"),
    tests={
        "fail": [
            {"text": "---\ntitle: Curcumin\ndate: 2026-01-05\n---\n\nCurcumin text.", "expect": ["1:1"]},
            {"text": "---\nauthor: ''\n---\n\nText.", "expect": ["1:1"]},
            {"text": "Sleep tips\n\nwritten by nobody in particular.", "expect": ["1:1"], "path": "a.txt"},
            {"text": "# Sleep\n\nSleep matters.\n\n```\nBy Jane Smith\n```", "expect": ["1:1"]},
        ],
        "pass": [
            "---\nauthor: Dr Helen Marsh\n---\n\nText.",
            "---\nAuthors: [Ann Lee, Bo Chan]\n---\n\nText.",
            "+++\nmedical-reviewer = \"Dr Anil Rao\"\n+++\n\nText.",
            "# Statins\n\n*By Dr Helen Marsh, GP*\n\nText.",
            {"text": "SLEEP TIPS\nMedically reviewed by Dr Ann Lee\n\nSleep matters.", "path": "a.txt"},
            "",
        ],
    },
)

MISSING_DATE = MissingDate(
    code="HL204", name="missing-date", severity=Severity.INFO,
    summary="The article gives no date of publication or review.",
    docs=RuleDocs(
        what="Reports, on line 1, an article with no date in its front matter (date, published, updated, "
             "last_reviewed, ...) and no visible date line (\"Last reviewed: 14 September 2026\", "
             "\"Published 2026-09-14\", a dated byline). Dates are read as ISO (2026-09-14), \"14 September "
             "2026\", \"September 14, 2026\", 14/09/2026 or \"September 2026\"; a front-matter date that cannot "
             "be read is reported too. Plain-text articles have only visible lines. " + _CURRENCY_OPTIONS_DOC,
        why="Medical advice changes. Without a date, readers cannot tell whether an article reflects "
            "current guidance or advice withdrawn years ago.",
        standard=_STANDARD,
        bad="---\ntitle: Statins\nauthor: Dr Helen Marsh\n---",
        good="---\ntitle: Statins\nauthor: Dr Helen Marsh\nlast_reviewed: 2026-09-14\n---"),
    tests={
        "fail": [
            {"text": "---\ntitle: Statins\nauthor: Dr Helen Marsh\n---\n\nStatins text.", "expect": ["1:1"]},
            {"text": "---\ndate: soon\n---\n\nText.", "expect": ["1:1"]},
            {"text": "Sleep tips\n\nPublished\n\non", "expect": ["1:1"], "path": "a.txt"},
        ],
        "pass": [
            "---\ndate: 2026-09-14\n---\n\nText.",
            "---\nlast-reviewed: 14 September 2026\n---\n\nText.",
            "---\nupdated: 2026-09-14T08:30:00Z\n---\n\nText.",
            "+++\ndate = 2026-09-14\n+++\n\nText.",
            "# Statins\n\n**Last reviewed:** September 14, 2026\n\nText.",
            {"text": "SLEEP TIPS\nBy Ann Lee | 3 March 2026\n\nSleep matters.", "path": "a.txt"},
            "",
        ],
    },
)

OUTDATED_REVIEW = OutdatedReview(
    code="HL205", name="outdated-review", severity=Severity.INFO,
    summary="The article's newest date is older than the review period (3 years by default).",
    options={"max-age-years": 3, "today": ""},
    docs=RuleDocs(
        what="Reports, on line 1, an article whose newest date (published, updated or reviewed; from the "
             "front matter or a visible date line) is more than `max-age-years` (default 3) before today. "
             "A date in the future (a planned review) counts as current. The `today` option (YYYY-MM-DD) fixes the current date for "
             "tests and reproducible builds; empty means the real date. " + _CURRENCY_OPTIONS_DOC,
        why="Guidance on doses, screening and safety changes. Health publishers review their pages on a "
            "fixed cycle (the NHS every 3 years) so readers are not given withdrawn advice.",
        standard=_STANDARD + " The NHS reviews its health content at least every 3 years.",
        bad="---\nlast_reviewed: 2015-02-01\n---",
        good="---\npublished: 2015-02-01\nlast_reviewed: 2026-09-14\n---"),
    tests={
        "fail": [
            {"text": "---\ndate: 2001-01-05\n---\n\nText.", "expect": ["1:1"]},
            {"text": "Sleep tips\nLast updated: 14 March 2002\n\nText.", "expect": ["1:1"], "path": "a.txt"},
        ],
        "pass": [
            "---\npublished: 2001-01-05\nlast_reviewed: 2999-01-01\n---\n\nText.",
            "---\ntitle: no date at all\n---\n\nText.",
            "Text quoting a study from 14 March 2002.",
        ],
    },
)

RULES = [MISSING_AUTHOR, MISSING_DATE, OUTDATED_REVIEW]
