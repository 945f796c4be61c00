"""Balance rules, off by default (the `strict` preset turns them on): no-alternatives
(HL210), no-costs (HL211) and unquantified-benefit (HL212). Each applies to an
article that discusses a treatment. Cue lists live in the rules' specs (rules/completeness/*.yml)."""
from __future__ import annotations

from functools import cached_property

from healthlint.analysis.claims import article_evidence
from healthlint.analysis.treatments import TREATMENT_ZONES, matcher, other_treatment_in
from healthlint.analysis.zones import zones_of
from healthlint.checks.treatment_rule import TreatmentRule
from healthlint.model import Finding


class BalanceRule(TreatmentRule):
    @cached_property
    def cues(self) -> dict:
        return {key: matcher(value) for key, value in self.data.items()}   # each compiled on first use

    def first(self, doc, key):
        return next(doc.unnegated(self.cues[key]), None)


class NoAlternatives(BalanceRule):
    """Reports the treatment's first mention when the article's own prose never speaks of other
    options. A negated cue counts: "there is no other treatment" tells readers what else there is."""
    message = ('the article discusses {treatment} but no alternatives; say what else readers could do, '
               "including other treatments, lifestyle changes or waiting")

    def check_treatment(self, doc, options, treatment):
        zones = zones_of(doc)
        if not any(zones.in_zones(m.start(), m.end(), TREATMENT_ZONES) for m in self.cues["alternatives"].finditer(doc.prose)):
            yield self.about(treatment, self.message)


class NoCosts(BalanceRule):
    """Reports the treatment's first mention when the article never says what it costs: asking for
    its price only when the article says it can be had now ("FDA approves ..."), else for its price
    and how to get it. Saying that it is not available yet counts, negated or not ("not yet approved",
    "clinical trials will begin next year"); an everyday food, diet or activity costs a reader
    nothing worth saying ("Nut consumption", "Regular exercise"), unless it is sold as a product
    ("garlic extract")."""
    message = ('the article discusses {treatment} but not what it costs or how to get it; say whether it '
               "needs a prescription, is covered by insurance or the NHS, and its price")
    price_only = ("the article says how to get {treatment} but not what it costs; give its price and whether "
                  "insurance or the NHS covers it")

    @cached_property
    def everyday(self) -> tuple[frozenset[str], frozenset[str]]:
        return frozenset(self.data["everyday-subjects"]), frozenset(self.data["product-words"])

    def check_treatment(self, doc, options, treatment):
        everyday, products = self.everyday
        if set(treatment.words()) & everyday and not self.sold_as_product(doc, treatment, products):
            return
        if self.first(doc, "costs") is not None:
            return
        available = self.says_available(doc, treatment)
        if not available and self.says_unavailable(doc):
            return   # no price to give yet
        if article_evidence(doc) in self.data["untested-in-people"]:
            return   # nor for a treatment tried only in animals
        yield self.about(treatment, self.price_only if available else self.message)

    def says_available(self, doc, treatment) -> bool:
        """Whether the title, or a sentence that names the treatment, says it can be had now ("FDA
        approves ...")."""
        zones = zones_of(doc)
        for m in doc.unnegated(self.cues["available-now"]):
            start, end = doc.sentence_at(m.start())
            if self.cues["not-available-now"].search(doc.prose, start, m.end()):
                continue   # "if approved by the FDA later this year"
            if zones.zone_at(m.start()) == "title":
                return True
            if zones.in_zones(m.start(), m.end(), TREATMENT_ZONES) and treatment.named_in(doc.prose[start:end]) \
                    and not other_treatment_in(doc, start, m.end(), treatment):
                return True   # not "compared with teriparatide, an FDA-approved drug"
        return False

    @staticmethod
    def sold_as_product(doc, treatment, products: frozenset[str]) -> bool:
        """Whether the treatment's name, or the title's word right after it, says it is sold as a
        product ("garlic extract", "Omega-3 supplements lower ...")."""
        words = treatment.name.lower().split()
        if zones_of(doc).zone_at(treatment.start) == "title":
            words += doc.prose[treatment.end:treatment.end + 40].lower().split()[:1]
        return bool(set(words) & products)

    def says_unavailable(self, doc) -> bool:
        zones = zones_of(doc)
        for m in self.cues["availability"].finditer(doc.prose):
            if zones.in_zones(m.start(), m.end(), TREATMENT_ZONES) and \
                    not self.cues["not-availability"].search(doc.prose, doc.sentence_at(m.start())[0], m.end()):
                return True
        return False


class UnquantifiedBenefit(BalanceRule):
    """Reports the first benefit claimed for the treatment when the article gives no numbers."""

    def check_treatment(self, doc, options, treatment):
        if self.cues["numbers"].search(doc.prose):
            return
        benefit = next((m for m in doc.unnegated(self.cues["benefits"]) if self.claimed_for(doc, m, treatment)), None)
        if benefit is not None:
            yield Finding(benefit.start(), benefit.end(),
                          f'the benefit ("{benefit.group(0)}") is not quantified; say how many people it helped and '
                          "by how much (for example 3 in 10 people, compared with 2 in 10 on placebo)")

    def claimed_for(self, doc, m, treatment) -> bool:
        """Whether a benefit word claims a benefit of the treatment: in the title, or in a sentence of
        the article's own prose that names the treatment or follows one that does in its paragraph
        ("Taking it can help"; any sentence when the subject is not sure), and does not only hope or
        suppose ("if we could", "in the future", "trials will test the potential benefit"), nor use
        the word otherwise ("the help of a colleague")."""
        zones = zones_of(doc)
        if zones.zone_at(m.start()) == "title":
            return True
        if not zones.in_zones(m.start(), m.end(), TREATMENT_ZONES):
            return False
        start, end = doc.sentence_at(m.start())
        if any(o.start() <= m.start() < o.end() for o in self.cues["not-benefits"].finditer(doc.prose, start, end)):
            return False
        if self.cues["suppositions"].search(doc.prose, start, end):
            return False
        if not treatment.sure or treatment.named_in(doc.prose[start:end]):
            return True
        before = doc.previous_sentence_start(start)
        return before < start and treatment.named_in(doc.prose[before:start])
