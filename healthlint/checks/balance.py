"""Balance rules, off by default (the `strict` preset turns them on): no-alternatives
(HL210), no-costs (HL211) and unquantified-benefit (HL212). Each applies to an
article that discusses a treatment. Cue lists live in rules/lexicons/completeness.yml."""
from __future__ import annotations

from functools import lru_cache

from healthlint.checks.risk_disclosure import TREATMENT_OPTIONS, TreatmentRule, matcher
from healthlint.model import Finding, RuleDocs, Severity
from healthlint.resources import load_lexicon

HNR = "HealthNewsReview.org criteria (Schwitzer, 2006-2018): "


@lru_cache(maxsize=1)
def _cues():
    lex = load_lexicon("completeness")
    return {key: matcher(lex[key]) for key in ("alternatives", "costs", "benefits", "numbers")}


def _first(doc, key):
    return next(doc.unnegated(_cues()[key]), None)


class Missing(TreatmentRule):
    """Reports the treatment's first mention when no `cue` is found in the article."""
    cue: str = ""
    message: str = ""

    def check_treatment(self, doc, options, treatment):
        if _first(doc, self.cue) is None:
            name = " ".join(treatment.group(0).split())
            yield Finding(treatment.start(), treatment.end(), self.message.format(treatment=name))


class NoAlternatives(Missing):
    cue = "alternatives"
    message = ('the article discusses "{treatment}" but no alternatives; say what else readers could do, '
               "including other treatments, lifestyle changes or waiting")


class NoCosts(Missing):
    cue = "costs"
    message = ('the article discusses "{treatment}" but not what it costs or how to get it; say whether it '
               "needs a prescription, is covered by insurance or the NHS, and its price")


class UnquantifiedBenefit(TreatmentRule):
    def check_treatment(self, doc, options, treatment):
        benefit = _first(doc, "benefits")
        if benefit is None or _cues()["numbers"].search(doc.prose):
            return
        yield Finding(benefit.start(), benefit.end(),
                      f'the benefit ("{benefit.group(0)}") is not quantified; say how many people it helped and by '
                      "how much (for example 3 in 10 people, compared with 2 in 10 on placebo)")


def _rule(cls, code, name, summary, docs, tests):
    return cls(code=code, name=name, summary=summary, severity=Severity.INFO, enabled=False,
               options=dict(TREATMENT_OPTIONS), docs=docs, tests=tests)


NO_ALTERNATIVES = _rule(
    NoAlternatives, "HL210", "no-alternatives",
    "An article about a treatment mentions no alternatives to it (off by default).",
    RuleDocs(
        what="When an article discusses a treatment but never mentions alternatives (other treatments, "
             "lifestyle changes, other options, \"instead of\", \"compared with\", watchful waiting), reports one "
             "finding on the treatment's first mention. Off by default; the `strict` preset turns it on.",
        why="A treatment is a choice among options, including doing nothing. Readers shown one option "
            "cannot weigh it.",
        standard=HNR + "criterion 7 (does the story compare the new approach with existing alternatives?); "
                 "DISCERN questions 11 (what would happen if no treatment is used?) and 12 (does it describe "
                 "other treatment choices?).",
        bad="Curcumin capsules ease stiff knees.",
        good="Curcumin capsules may ease stiff knees; exercise, weight loss and paracetamol are other options."),
    {"fail": [{"text": "# Curcumin\n\nCurcumin eases stiff knees.", "expect": ["1:3"]}],
     "pass": ["Curcumin may ease stiff knees. Other options include exercise and physiotherapy.",
              "Walking every day keeps knees supple."]},
)

NO_COSTS = _rule(
    NoCosts, "HL211", "no-costs",
    "An article about a treatment says nothing about its cost or availability (off by default).",
    RuleDocs(
        what="When an article discusses a treatment but never mentions cost or availability (price, cost, "
             "insurance, NHS, prescription, over the counter, a currency amount), reports one finding on the "
             "treatment's first mention. Off by default; the `strict` preset turns it on.",
        why="A treatment readers cannot get or afford is no option for them, and a hidden price is a "
            "common feature of promotional health content.",
        standard=HNR + "criteria 1 (does the story discuss the costs?) and 8 (does it establish the "
                 "availability of the treatment?).",
        bad="Ketamine infusions lift mood within hours.",
        good="Ketamine infusions lift mood within hours for some people; a course of six costs about $3,000 "
             "and is rarely covered by insurance."),
    {"fail": [{"text": "Ketamine infusions lift mood.", "expect": ["1:1"]}],
     "pass": ["Ketamine infusions cost about $500 each.", "Statins are available on prescription.",
              "Sleep well."]},
)

UNQUANTIFIED_BENEFIT = _rule(
    UnquantifiedBenefit, "HL212", "unquantified-benefit",
    "Benefits of a treatment are described without any numbers (off by default).",
    RuleDocs(
        what="When an article discusses a treatment and claims a benefit (helps, improves, reduces, relieves, "
             "effective) but gives no numbers anywhere (percentages, \"3 in 10\", \"twice as\", \"a third\", "
             "absolute or relative risk), reports one finding on the first benefit claim. Off by default; the "
             "`strict` preset turns it on.",
        why="\"Reduces the risk\" can mean from 2 in 100 to 1 in 100 or from 50 to 25. Without numbers readers "
            "cannot judge whether a benefit is worth the harms and the cost.",
        standard=HNR + "criterion 2 (does the story adequately quantify the benefits?); DISCERN question 9 "
                 "(does it describe how each treatment works and its benefits?).",
        bad="Statins lower the risk of a heart attack.",
        good="Over 5 years, statins prevented a heart attack in about 1 in 50 people at moderate risk."),
    {"fail": [{"text": "Melatonin helps jet lag.", "expect": ["1:11"]}],
     "pass": ["Melatonin helps jet lag: 8 in 10 travellers fell asleep sooner.",
              "Melatonin is a hormone.", "Daylight helps your body clock."]},
)

RULES = [NO_ALTERNATIVES, NO_COSTS, UNQUANTIFIED_BENEFIT]
