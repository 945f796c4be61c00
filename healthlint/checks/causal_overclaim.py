"""causal-overclaim (HL103): causal or certain wording about research that cannot carry it."""
from __future__ import annotations

from functools import lru_cache

from healthlint.model import Finding, RuleDocs, Severity
from healthlint.packs import COMMON_OPTIONS, Matcher, TextRule
from healthlint.resources import load_lexicon
from healthlint.text import is_negated


@lru_cache(maxsize=1)
def _cues() -> dict:
    lex = load_lexicon("evidence")
    return {
        "verbs": {" ".join(k.split()): v for k, v in lex["causal_verbs"].items()},
        "causal": Matcher(lex["causal_verbs"]),
        "study": Matcher(lex["study_words"]),
        "types": [(Matcher(t["cues"]), t["message"]) for t in lex["study_types"].values()],
        "hedges": Matcher(lex["hedges"]),
        "epistemic": Matcher(lex["epistemic_verbs"]),
        "human": Matcher(lex["human_targets"]),
        "caveats": Matcher(lex["animal_caveats"]),
        "animal": Matcher(lex["study_types"]["animal"]["cues"] + lex["study_types"]["cell"]["cues"]),
        "exceptions": Matcher(patterns=lex["causal_exceptions"]),
    }


class CausalOverclaim(TextRule):
    exceptions = property(lambda self: _cues()["exceptions"])

    def _study_type(self, doc, start: int, end: int) -> str:
        for matcher, message in _cues()["types"]:
            if matcher.search(doc.prose, start, end):
                return message
        return "a study can show what happened in the people it studied, not that one thing causes another"

    @staticmethod
    def _is_noun(prose: str, start: int, end: int, m) -> bool:
        nouns = _cues()["exceptions"].finditer(prose, start, end)
        return any(e.start() <= m.start() and m.end() <= e.end() for e in nouns)

    def _qualified(self, doc, start: int, m, options) -> bool:
        """Negated, quoted, hedged or an infinitive ("to prevent"): the sentence makes no causal claim."""
        prose, cues = doc.prose, _cues()
        before = prose[start:m.start()]
        return (self.silenced(doc, m.start(), m.end(), options) or bool(cues["hedges"].search(before))
                or before.rstrip().lower().endswith(" to")
                or any(is_negated(prose, start, e.start())
                       for e in cues["epistemic"].finditer(prose, start, m.start())))

    def check(self, doc, options):
        cues = _cues()
        prose = doc.prose
        for start, end in doc.sentences:
            block = doc.block_at(start)
            if block is None or doc.citations.is_reference(block) or doc.is_question(start, end):
                continue
            if options["require-study"] and not cues["study"].search(prose, start, end):
                continue
            finding = None
            for m in cues["causal"].finditer(prose, start, end):
                if self._is_noun(prose, start, end, m):
                    continue  # "deaths from any cause"
                if self._qualified(doc, start, m, options):
                    break  # "does not show that X prevents Y", "may prevent", "aimed to prevent"
                verb = " ".join(m.group(0).lower().split())
                suggestion = cues["verbs"].get(verb)
                why = self._study_type(doc, start, end)
                finding = Finding(m.start(), m.end(), f'"{m.group(0)}" claims cause and effect, but {why}; '
                                  f'use wording such as "{suggestion}" or "was associated with", and say '
                                  "what kind of study it was", suggestion)
                break
            if finding is None and options["check-animal-to-human"]:
                finding = self._animal_to_human(doc, start, end, options)
            if finding is not None:
                yield finding

    def _animal_to_human(self, doc, start: int, end: int, options: dict):
        """A study in mice or cells applied to people ("in mice ... so it can help your knees")."""
        cues = _cues()
        animal = cues["animal"].search(doc.prose, start, end)
        if animal is None or self.silenced(doc, animal.start(), animal.end(), options):
            return None
        for m in cues["human"].finditer(doc.prose, animal.end(), end):
            if (self.silenced(doc, m.start(), m.end(), options)
                    or cues["caveats"].search(doc.prose, start, m.start())):
                return None  # "has not yet been tested in people", "whether it works in people"
            return Finding(animal.start(), animal.end(),
                           f'a finding "{animal.group(0)}" is applied to people; say that it was an animal or lab '
                           "study and that it has not been shown in people")
        return None


RULES = [CausalOverclaim(
    code="HL103", name="causal-overclaim", severity=Severity.WARNING,
    summary='Causal or certain wording ("proves", "causes", "prevents") about studies that cannot show cause.',
    docs=RuleDocs(
        what='Flags causal or certain verbs ("proves", "causes", "prevents", "cures", "reverses", "leads to", '
             '"results in", "protects against", "is the reason") in a sentence that reports research (a study, '
             "trial, review, survey, data, researchers or scientists), and explains why the study cannot carry "
             "the claim when the sentence says what kind it was: observational, in animals, in cells, or a "
             "single study. It also flags an animal or cell finding applied to people in the same sentence. It "
             "suggests correlational wording (\"is linked to\", \"was associated with\"). It stays silent for "
             "hedged or correlational sentences (\"may prevent\", \"suggests\", \"is linked to\", \"people who "
             'ate more fish were less likely to develop heart disease"), negated ones ("this does not prove '
             'that coffee prevents dementia"), questions, quotations and blockquotes, and for causal statements '
             'that do not report a study ("smoking causes lung cancer").',
        why="Readers take \"causes\" and \"prevents\" as a promise of an effect, and act on it. Most studies "
            "behind health news are observational, in animals or small; they can show a link, not a cause. "
            "Turning a correlation into cause and effect is the most common exaggeration in health news.",
        standard="Sumner et al. 2014 (BMJ 349:g7015): correlational findings reported as causal in 33% of "
                 "press releases, animal findings applied to humans in 36%, with news exaggerating more when "
                 "releases did; Adams et al. 2017 (PLoS ONE 12:e0178433) on \"causes\" vs \"can cause\" vs "
                 "\"is linked to\"; HealthNewsReview.org criterion on the quality of the evidence; FTC Health "
                 "Products Compliance Guidance (2022): animal and in-vitro studies alone do not substantiate "
                 "claims about people.",
        bad="A new observational study proves that coffee prevents dementia.",
        good="In a large observational study, people who drank coffee were less likely to develop dementia; "
             "the study cannot show that coffee was the reason."),
    options=dict(COMMON_OPTIONS, **{"require-study": True, "check-animal-to-human": True}),
    tests={
        "fail": [
            {"text": "A new observational study proves that coffee prevents dementia.", "expect": ["1:27"]},
            {"text": "# Coffee\n\nResearchers say the trial results show the drug cures arthritis.",
             "expect": ["3:49"]},
            {"text": "In a study of mice, curcumin reversed joint damage.", "expect": ["1:30"]},
            {"text": "The data show that sugar leads to\nhyperactivity in children.", "expect": ["1:26"]},
            {"text": "- A survey found screen time is the reason teens sleep badly.", "expect": ["1:30"]},
            {"text": "Scientists found curcumin shrank tumours in mice, so it can protect your joints too.",
             "expect": ["1:45"]},
            {"text": "## New study proves coffee prevents dementia", "expect": ["1:14"]},
        ],
        "pass": [
            "People who ate more fish were less likely to develop heart disease, a large study found.",
            "A study found that coffee drinkers may have a lower risk of dementia.",
            "The study suggests that coffee prevents dementia, but it was small.",
            "This observational study cannot prove that drinking two cups of coffee a day prevents dementia.",
            "The trial does not show that the drug causes weight gain.",
            "Smoking causes lung cancer and heart disease.",
            "Researchers tested whether vitamin D prevents colds.",
            "The trial aimed to prevent a second stroke.",
            "Does coffee prevent dementia? A new study looked at 10,000 people.",
            'The headline said "study proves coffee prevents dementia" but the study did not.',
            "> A new study proves that coffee prevents dementia.",
            "In the study, coffee was linked to a lower risk of dementia.",
            "The drug worked in mice, but it has not yet been tested in people.",
            "The team will now test whether the mouse results hold in people.",
            "```\nstudy proves coffee causes cancer\n```",
            "In that review, deaths from any cause fell by 14%, and the main cause of death was stroke.",
        ],
    },
)]
