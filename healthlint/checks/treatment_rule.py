"""The base of the rules about an article that discusses a treatment."""
from __future__ import annotations

from healthlint.analysis.treatments import find_treatment
from healthlint.model import Finding, Rule


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

    @staticmethod
    def about(treatment, message: str, unnamed: str = "a treatment") -> Finding:
        """A finding on the treatment's first mention, with its name in `message` ({treatment});
        when the subject is not sure, a finding about the whole article that names no treatment but
        `unnamed` (a wrong name costs an editor's trust more than no name)."""
        if treatment.sure:
            return Finding(treatment.start, treatment.end, message.format(treatment=f'"{treatment.name}"'))
        return Finding.about_document(message.format(treatment=unnamed))
