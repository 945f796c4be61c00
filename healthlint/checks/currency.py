"""Authorship and currency: missing-author (HL203), missing-date (HL204) and
outdated-review (HL205), from what healthlint.analysis.currency finds. Findings sit on line 1."""
from __future__ import annotations

import datetime as dt

from healthlint.analysis.currency import Currency, currency_of
from healthlint.model import Finding, Rule


class CurrencyRule(Rule):
    document_level = True

    def check(self, doc, options):
        if doc.prose.strip():
            message = self.problem(currency_of(doc), options, doc.is_markdown)
            if message:
                yield Finding.about_document(message)

    def problem(self, info: Currency, options: dict, markdown: bool) -> str | None:
        raise NotImplementedError


class MissingAuthor(CurrencyRule):
    def problem(self, info, options, markdown):
        if info.has_author:
            return None
        if info.is_news:   # a release answers for itself through its issuer, not a byline
            return ("the release never says who issued it; name the issuing organisation (an \"About ...\" "
                    "paragraph) and a media contact")
        where = 'add "author:" (and "medical_reviewer:") to the front matter, or' if markdown else "add"
        return f'no author or medical reviewer is named; {where} a visible "By ..." line with their name and role'


class MissingDate(CurrencyRule):
    def problem(self, info, options, markdown):
        if info.dates:
            return None
        if info.unreadable:
            return f'the date "{info.unreadable[0]}" could not be read; write it as YYYY-MM-DD'
        if info.is_news:
            return ('the release gives no date; put it in the dateline ("BOSTON (May 3, 2026) -") or a visible '
                    '"Published: ..." line')
        where = 'add "last_reviewed: YYYY-MM-DD" to the front matter, or' if markdown else "add"
        return f'no publication or review date; {where} a visible "Last reviewed: ..." line'


def today(options: dict) -> dt.date:
    """The `today` option (YYYY-MM-DD, for tests and reproducible builds), else today."""
    value = str(options.get("today", "") or "").strip()
    return dt.date.fromisoformat(value) if value else dt.date.today()


def years_before(day: dt.date, years: int) -> dt.date:
    year = day.year - years
    if year < dt.MINYEAR:   # a review period longer than the calendar: no date is that old
        return dt.date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


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
        if info.is_news or not info.dates or max(info.dates) >= years_before(today(options), years):
            return None
        return (f"the newest date on this article is {max(info.dates).isoformat()}, more than {years} years ago; "
                "review it against current guidance and update its review date")
