"""professional-advice (HL202): advice about a treatment, dose or self-care for a
condition should send readers to a professional, or say when to seek care.
Cue lists live in rules/lexicons/completeness.yml."""
from __future__ import annotations

import re
from functools import lru_cache

from healthlint.checks.risk_disclosure import TREATMENT_OPTIONS, find_treatment, matcher
from healthlint.model import Finding, Rule, RuleDocs, Severity
from healthlint.packs import Matcher
from healthlint.resources import load_lexicon

# a sentence, or its main clause after an opening "For sore knees," / "If you can,"
LEAD_IN = r"(?:(?:for|if|when|before|after|to|with|at|once|then|next|finally|first|also|and|so|instead)\b[^,.;:]{0,60},\s*)?"
SOFTENER = r"(?:please\s+|just\s+|simply\s+|always\s+|then\s+|also\s+|now\s+)?"


@lru_cache(maxsize=1)
def _cues():
    lex = load_lexicon("completeness")
    verbs = "|".join(map(re.escape, lex["advice-imperatives"]))
    return {
        "advice": matcher(lex["advice"]),
        "imperative": re.compile(LEAD_IN + SOFTENER + rf"(?P<verb>{verbs})\b(?![-'’])", re.I),
        "conditions": Matcher(lex["conditions"]),
        "professional": matcher(lex["professional"]),
    }


def _own_words(doc, start: int, end: int) -> bool:
    """Advice in a quotation or blockquote is someone else's."""
    block = doc.block_at(start)
    return block is not None and not block.in_blockquote and not doc.in_quotes(start, end)


def first_advice(doc):
    """(start, end) of the first piece of advice to the reader, or None."""
    cues = _cues()
    found = []
    for m in doc.unnegated(cues["advice"]):
        if _own_words(doc, m.start(), m.end()):
            found.append(m.span())
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


def refers_to_professional(doc) -> bool:
    return next(doc.unnegated(_cues()["professional"]), None) is not None


class ProfessionalAdvice(Rule):
    document_level = True

    def check(self, doc, options):
        if not doc.prose.strip() or refers_to_professional(doc):
            return
        advice = first_advice(doc)
        if advice is None:
            return
        if find_treatment(doc, options) is None and next(_cues()["conditions"].finditer(doc.prose), None) is None:
            return  # advice, but about no treatment or health problem
        start, end = advice
        yield Finding(start, end,
                      f'the article gives health advice ("{doc.prose[start:end]}") but never suggests talking to a '
                      "doctor, pharmacist or other professional, or says when to seek care; add such a note")


PROFESSIONAL_ADVICE = ProfessionalAdvice(
    code="HL202", name="professional-advice", severity=Severity.INFO,
    summary="Advice on a treatment, dose or self-care with no note to see a doctor or pharmacist.",
    options=dict(TREATMENT_OPTIONS),
    docs=RuleDocs(
        what="When an article advises readers (\"take one capsule twice a day\", \"we recommend\", "
             "\"try ...\", a sentence that starts with an imperative such as take, try, use, avoid) about a "
             "treatment or a health problem, but nowhere tells them to talk to a doctor, pharmacist, nurse or "
             "other qualified professional, or when to seek medical help (\"call 999\", \"go to A&E\"), reports "
             "one finding on the first piece of advice. Advice inside quotation marks or a blockquote is "
             "someone else's and does not count; a negated referral (\"no need to see a doctor\") is not a "
             "referral. Options: `extra-treatments`, `ignore-treatments` (as for risk-disclosure).",
        why="An article cannot know a reader's other conditions and medicines. Without a pointer to a "
            "professional, readers may self-treat something that needs care, or combine treatments that "
            "interact.",
        standard="HONcode principle 2 (complementarity: information supports, and does not replace, the "
                 "relationship between patient and doctor); DISCERN question 15 (does it support shared "
                 "decision-making?); UK CAP Code rule 12.2 (do not discourage essential treatment).",
        bad="For sore knees, take two capsules twice a day.",
        good="For sore knees, take two capsules twice a day. Check with your pharmacist first if you take "
             "other medicines."),
    tests={
        "fail": [
            {"text": "# Curcumin\n\nFor sore knees, take two capsules twice a day.", "expect": ["3:17"]},
            {"text": "Melatonin can help jet lag.\nWe recommend 1 mg at bedtime.", "expect": ["2:1"]},
            {"text": "Poor sleep is common.\n\nKeep your bedroom cool. Avoid screens late at night.",
             "expect": ["3:1"], "path": "a.txt"},
            {"text": "You don't need to see a doctor for back pain.\n\nTry gentle stretches.", "expect": ["3:1"]},
            {"text": "# Melatonin\n\n## Take the first step\n\nTake 1 mg of melatonin at bedtime.",
             "expect": ["5:1"]},
        ],
        "pass": [
            "For sore knees, take two capsules twice a day. Talk to your pharmacist if you take other medicines.",
            "Keep your bedroom cool. If poor sleep goes on for months, it's worth speaking to a GP.",
            "Don't stop taking your statin without talking to your doctor first.",
            "Call 999 if you have chest pain. Take aspirin only if told to.",
            "Insomnia is common. It has many causes.",
            "Add the flour and stir. Keep the oven at 180 degrees.",
            "> Take two a day, my friend told me.\n\nBack pain is common.",
        ],
    },
)

RULES = [PROFESSIONAL_ADVICE]
