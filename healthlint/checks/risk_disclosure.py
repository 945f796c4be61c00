"""risk-disclosure (HL201): an article about a treatment must also discuss its harms."""
from __future__ import annotations

import re
from functools import cached_property

from healthlint.analysis.treatments import extra_matcher, matcher
from healthlint.checks.treatment_rule import TreatmentRule
from healthlint.matching import Matcher
from healthlint.model import Finding


class RiskDisclosure(TreatmentRule):
    @cached_property
    def cues(self):
        data = self.data
        return {"headings": matcher(data["harm-headings"]), "sentences": matcher(data["harm-sentences"]),
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

    def discusses_harms(self, doc, extra_cues=()) -> bool:
        for block in doc.headings:
            if any(self._counts(doc, m) for m in self.cues["headings"].finditer(doc.prose, block.start, block.end)):
                return True
        for cues in (self.cues["sentences"], extra_matcher(tuple(extra_cues))):
            if any(self._counts(doc, m) for m in cues.finditer(doc.prose)):
                return True
        return False

    def check_treatment(self, doc, options, treatment):
        if self.discusses_harms(doc, options.get("extra-harm-cues", [])):
            return
        name = " ".join(treatment.group(0).split())
        yield Finding(treatment.start(), treatment.end(),
                      f'the article discusses "{name}" but not its harms; add its side effects, risks, '
                      "interactions and who should not use it")
