"""risk-disclosure (HL201): an article about a treatment must also discuss its harms."""
from __future__ import annotations

import re
from functools import cached_property

from healthlint.analysis.treatments import extra_matcher, matcher
from healthlint.checks.treatment_rule import TreatmentRule
from healthlint.matching import Matcher


class RiskDisclosure(TreatmentRule):
    @cached_property
    def cues(self):
        data = self.data
        return {"headings": matcher(data["harm-headings"]), "sentences": matcher(data["harm-sentences"]),
                "outcomes": matcher(data["harm-outcomes"]), "warnings": matcher(data["reader-warnings"]),
                "references": matcher(data["treatment-references"]),
                "benefit": re.compile(data["harm-benefit-framing"], re.I), "denials": Matcher(data["risk-denials"])}

    def _counts(self, doc, m) -> bool:
        """A harm cue counts unless it is negated, framed as a benefit ("reduces side
        effects") or part of a denial of risk ("no side effects", "completely safe")."""
        sentence_start, sentence_end = doc.sentence_at(m.start())
        if doc.is_negated(m.start()):
            return False
        if self.cues["benefit"].search(doc.prose, sentence_start, m.start()):
            return False
        return not any(a.start() < m.end() and m.start() < a.end()
                       for a in self.cues["denials"].finditer(doc.prose, sentence_start, sentence_end))

    def _about(self, doc, m, treatment) -> bool:
        """Whether a harm cue's sentence, or the one before it in its paragraph, is about the
        article's treatment: names it, or refers to it ("the drug", "participants who took")."""
        start, end = doc.sentence_at(m.start())
        before = doc.sentence_at(start - 1) if start > 0 else (start, start)
        if doc.block_at(before[0]) is doc.block_at(start):
            start = before[0]
        return treatment.named_in(doc.prose[start:end]) or bool(self.cues["references"].search(doc.prose, start, end))

    def discusses_harms(self, doc, treatment, extra_cues=()) -> bool:
        for block in doc.headings:
            if any(self._counts(doc, m) for m in self.cues["headings"].finditer(doc.prose, block.start, block.end)):
                return True
        for cues in (self.cues["sentences"], extra_matcher(tuple(extra_cues))):
            if any(self._counts(doc, m) and self._about(doc, m, treatment) for m in cues.finditer(doc.prose)):
                return True
        if any(self._counts(doc, m) for m in self.cues["warnings"].finditer(doc.prose)):
            return True
        return any(not doc.is_negated(m.start()) for m in self.cues["outcomes"].finditer(doc.prose))

    def check_treatment(self, doc, options, treatment):
        if self.discusses_harms(doc, treatment, options.get("extra-harm-cues", [])):
            return
        yield self.about(treatment, "the article discusses {treatment} but not its harms; add its side effects, "
                                    "risks, interactions and who should not use it")
