"""The base of the rules about an article that discusses a treatment."""
from __future__ import annotations

from healthlint.analysis.treatments import find_treatment
from healthlint.model import Rule


class TreatmentRule(Rule):
    """A document-level rule that applies to articles that discuss a treatment."""
    document_level = True

    def check(self, doc, options):
        if not doc.prose.strip():
            return
        treatment = find_treatment(doc, options)
        if treatment is not None:
            yield from self.check_treatment(doc, options, treatment)

    def check_treatment(self, doc, options, treatment):
        raise NotImplementedError
