"""Balance rules, off by default (the `strict` preset turns them on): no-alternatives
(HL210), no-costs (HL211) and unquantified-benefit (HL212). Each applies to an
article that discusses a treatment. Cue lists live in the rules' specs (rules/completeness/*.yml)."""
from __future__ import annotations

from functools import cached_property

from healthlint.analysis.treatments import TREATMENT_ZONES, matcher
from healthlint.analysis.zones import zones_of
from healthlint.checks.treatment_rule import TreatmentRule
from healthlint.model import Finding

HNR = "HealthNewsReview.org criteria (Schwitzer, 2006-2018): "


class BalanceRule(TreatmentRule):
    @cached_property
    def cues(self) -> dict:
        return {key: matcher(value) for key, value in self.data.items()}

    def first(self, doc, key):
        return next(doc.unnegated(self.cues[key]), None)


class Missing(BalanceRule):
    """Reports the treatment's first mention when no `cue` is found in the article."""
    cue: str = ""
    message: str = ""

    def check_treatment(self, doc, options, treatment):
        if self.first(doc, self.cue) is None:
            yield self.about(treatment, self.message)


class NoAlternatives(BalanceRule):
    """Reports the treatment's first mention when the article's own prose never speaks of other
    options. A negated cue counts: "there is no other treatment" tells readers what else there is."""
    message = ('the article discusses {treatment} but no alternatives; say what else readers could do, '
               "including other treatments, lifestyle changes or waiting")

    def check_treatment(self, doc, options, treatment):
        zones = zones_of(doc)
        if not any(zones.in_zones(m.start(), m.end(), TREATMENT_ZONES) for m in self.cues["alternatives"].finditer(doc.prose)):
            yield self.about(treatment, self.message)


class NoCosts(Missing):
    cue = "costs"
    message = ('the article discusses {treatment} but not what it costs or how to get it; say whether it '
               "needs a prescription, is covered by insurance or the NHS, and its price")


class UnquantifiedBenefit(BalanceRule):
    def check_treatment(self, doc, options, treatment):
        benefit = self.first(doc, "benefits")
        if benefit is None or self.cues["numbers"].search(doc.prose):
            return
        yield Finding(benefit.start(), benefit.end(),
                      f'the benefit ("{benefit.group(0)}") is not quantified; say how many people it helped and by '
                      "how much (for example 3 in 10 people, compared with 2 in 10 on placebo)")
