"""professional-advice (HL202): advice about a treatment, dose or self-care for a
condition should send readers to a professional, or say when to seek care.
Cue lists live in the rules' specs (rules/completeness/*.yml)."""
from __future__ import annotations

import re
from functools import cached_property

from healthlint.analysis.treatments import find_treatment, matcher
from healthlint.analysis.zones import DEFAULT_ZONES, zones_of
from healthlint.matching import Matcher
from healthlint.model import Finding, Rule

# a sentence, or its main clause after an opening "For sore knees," / "If you can,"
LEAD_IN = r"(?:(?:for|if|when|before|after|to|with|at|once|then|next|finally|first|also|and|so|instead)\b[^,.;:]{0,60},\s*)?"
SOFTENER = r"(?:please\s+|just\s+|simply\s+|always\s+|then\s+|also\s+|now\s+)?"


def cues_from(data: dict) -> dict:
    verbs = "|".join(map(re.escape, data["advice-imperatives"]))
    return {
        "advice": matcher(data["advice"]),
        "advice-to-the-reader": matcher(data["advice-to-the-reader"]),
        "reader": Matcher(data["reader"]),
        # "Use of statins rose": a noun, not an order
        "imperative": re.compile(LEAD_IN + SOFTENER + rf"(?P<verb>{verbs})\b(?![-'’])(?!\s+(?:of|in|by)\b)", re.I),
        "conditions": Matcher(data["conditions"]),
        "professional": matcher(data["professional"]),
        "study": Matcher(data["study-context"]),
    }


def _own_words(doc, start: int, end: int) -> bool:
    """Advice in a quotation, a blockquote or boilerplate is not the article's own."""
    block = doc.block_at(start)
    return (block is not None and not block.in_blockquote and not doc.in_quotes(start, end)
            and zones_of(doc).in_zones(start, end, DEFAULT_ZONES))


def first_advice(doc, cues: dict):
    """(start, end) of the first piece of advice to the reader, or None."""
    found = []
    for key in ("advice", "advice-to-the-reader"):
        for m in doc.unnegated(cues[key]):
            sentence = doc.sentence_at(m.start())
            if (_own_words(doc, m.start(), m.end()) and not cues["study"].search(doc.prose, *sentence)
                    and (key == "advice" or cues["reader"].search(doc.prose, *sentence))):
                found.append(m.span())   # "participants took 90 mg twice daily" is a protocol, not advice
                break
    for s, e in doc.sentences:
        block = doc.block_at(s)
        if block is not None and block.kind == "heading":
            continue  # "Take the first step" heads a section; it advises nothing yet
        m = cues["imperative"].match(doc.prose, s, e)
        if m and _own_words(doc, m.start("verb"), m.end("verb")):
            found.append(m.span("verb"))
            break
    return min(found) if found else None


def refers_to_professional(doc, cues: dict) -> bool:
    return next(doc.unnegated(cues["professional"]), None) is not None


class ProfessionalAdvice(Rule):
    document_level = True

    @cached_property
    def cues(self) -> dict:
        return cues_from(self.data)

    def check(self, doc, options):
        if not doc.prose.strip() or refers_to_professional(doc, self.cues):
            return
        advice = first_advice(doc, self.cues)
        if advice is None:
            return
        if find_treatment(doc, options) is None and next(self.cues["conditions"].finditer(doc.prose), None) is None:
            return  # advice, but about no treatment or health problem
        start, end = advice
        yield Finding(start, end,
                      f'the article gives health advice ("{doc.prose[start:end]}") but never suggests talking to a '
                      "doctor, pharmacist or other professional, or says when to seek care; add such a note")
