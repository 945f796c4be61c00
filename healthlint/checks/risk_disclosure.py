"""risk-disclosure (HL201): an article about a treatment must also discuss its harms."""
from __future__ import annotations

import re
from functools import cached_property

from healthlint.analysis.treatments import TREATMENT_ZONES, extra_matcher, matcher, other_treatment_in, title_span
from healthlint.analysis.zones import in_name, zones_of
from healthlint.checks.treatment_rule import TreatmentRule
from healthlint.matching import Matcher


class RiskDisclosure(TreatmentRule):
    @cached_property
    def cues(self):
        data = self.data
        return {"headings": matcher(data["harm-headings"]), "sentences": matcher(data["harm-sentences"]),
                "weak": matcher(data["weak-harm-sentences"]), "weak-references": matcher(data["weak-references"]),
                "effects": matcher(data["adverse-effects"]), "effect-context": matcher(data["adverse-effect-context"]),
                "outcomes": matcher(data["harm-outcomes"]), "warnings": matcher(data["reader-warnings"]),
                "references": matcher(data["treatment-references"]), "not-harms": matcher(data["not-harms"]),
                "benefit": re.compile(data["harm-benefit-framing"], re.I),
                "research": re.compile(data["harm-research-framing"], re.I), "denials": Matcher(data["risk-denials"]),
                "tests": Matcher(data["test-words"])}

    def _counts(self, doc, m) -> bool:
        """A harm cue counts in the article's own prose unless it is negated, framed as a benefit
        ("reduces side effects") or as something to study ("will assess the safety"), part of a
        denial of risk ("no side effects") or not a harm at all ("at high risk of", "alcohol
        dependence")."""
        if not zones_of(doc).in_zones(m.start(), m.end(), TREATMENT_ZONES) or doc.is_negated(m.start()) \
                or in_name(doc, m.start(), m.end()):
            return False   # "Journal of Addiction Research" is a name
        sentence_start, sentence_end = doc.sentence_at(m.start())
        if self.cues["benefit"].search(doc.prose, sentence_start, m.start()) \
                or self.cues["research"].search(doc.prose, sentence_start, m.start()):
            return False
        return not any(a.start() < m.end() and m.start() < a.end()
                       for cues in (self.cues["denials"], self.cues["not-harms"])
                       for a in cues.finditer(doc.prose, sentence_start, sentence_end))

    def _about(self, doc, m, treatment) -> bool:
        """Whether a harm cue's sentence, or the one before it in its paragraph, is about the
        article's treatment: names it, or refers to it ("the drug", "participants who took") and
        names no other treatment before the cue (a comparator's side effects are not the subject's:
        "Statins, by contrast, can cause muscle pain"; "it interacts with warfarin" is the subject's)."""
        start, end = doc.sentence_at(m.start())
        if treatment.named_in(doc.prose[start:end]):
            return True
        if other_treatment_in(doc, start, m.start(), treatment):
            return False
        start = doc.previous_sentence_start(start)
        return treatment.named_in(doc.prose[start:end]) or bool(self.cues["references"].search(doc.prose, start, end))

    def _weak_about(self, doc, m, treatment) -> bool:
        """A weak harm cue ("complications", "can cause", "risk of") is the treatment's only in a
        sentence that names it or calls it "it" or "the drug", and names no other treatment before it."""
        start, end = doc.sentence_at(m.start())
        if treatment.named_in(doc.prose[start:end]):
            return True
        return not other_treatment_in(doc, start, m.start(), treatment) \
            and bool(self.cues["weak-references"].search(doc.prose, start, end))

    def _effect_counts(self, doc, m) -> bool:
        """A named adverse effect ("nausea", "raised blood pressure") is a disclosure in a sentence
        that reports it as one: experienced, reported, caused, the most common, stopped because of."""
        start, end = doc.sentence_at(m.start())
        return self._counts(doc, m) and bool(self.cues["effect-context"].search(doc.prose, start, end))

    def discusses_harms(self, doc, treatment, extra_cues=()) -> bool:
        zones = zones_of(doc)
        for block in doc.headings:
            if zones.block_zone(block) == "title":
                continue  # "Metformin may lower lung cancer risk": the title's risk is the disease's
            if any(self._counts(doc, m) for m in self.cues["headings"].finditer(doc.prose, block.start, block.end)):
                return True
        for cues in (self.cues["sentences"], extra_matcher(tuple(extra_cues))):
            if any(self._counts(doc, m) and self._about(doc, m, treatment) for m in cues.finditer(doc.prose)):
                return True
        if any(self._counts(doc, m) and self._weak_about(doc, m, treatment)
               for m in self.cues["weak"].finditer(doc.prose)):
            return True
        if any(self._effect_counts(doc, m) and self._about(doc, m, treatment)
               for m in self.cues["effects"].finditer(doc.prose)):
            return True
        if any(self._counts(doc, m) for m in self.cues["warnings"].finditer(doc.prose)):
            return True
        return any(not doc.is_negated(m.start()) and zones.in_zones(m.start(), m.end(), TREATMENT_ZONES)
                   for m in self.cues["outcomes"].finditer(doc.prose))

    def check_treatment(self, doc, options, treatment):
        if self.discusses_harms(doc, treatment, options.get("extra-harm-cues", [])):
            return
        if self.is_test(doc, treatment):
            yield self.about(treatment, "the article discusses {treatment} but not its harms; say how often it "
                                        "gives false alarms or misses, what follow-up tests or treatment that "
                                        "can lead to, and any risks of the test itself", unnamed="a test")
        else:
            yield self.about(treatment, "the article discusses {treatment} but not its harms; add its side effects, "
                                        "risks, interactions and who should not use it")

    def is_test(self, doc, treatment) -> bool:
        """Whether the subject is a test or scan, not a treatment: by its name, or by the title when
        the subject is not named."""
        if treatment.sure:
            return bool(self.cues["tests"].search(treatment.name))
        title = title_span(doc)
        return title is not None and bool(self.cues["tests"].search(doc.prose, *title))
