"""causal-overclaim (HL103): causal or certain wording about research that cannot carry it."""
from __future__ import annotations

import re
from functools import cached_property

from healthlint.analysis.claims import article_evidence, sentence_strength
from healthlint.analysis.text import is_negated
from healthlint.analysis.treatments import find_treatment
from healthlint.matching import Matcher
from healthlint.model import Finding
from healthlint.packs import TextRule

EVIDENCE_WHY = {
    "observational": "an observational study, which can show a link, not cause and effect",
    "animal": 'a study in animals, which does not show the same in people (say "in mice" if it was)',
    "laboratory": "a lab study on cells, which does not show the same in people",
}
RELATIVE_RE = re.compile(r"\b(?:that|which|who)\s+(?:\w+ly\s+)?$", re.I)   # "that causes", "which normally protects"


def _headline(doc, offset: int) -> bool:
    """Whether `offset` is in the title or a heading, or in the article's first paragraph (the
    lead): where a release states its finding."""
    block = doc.block_at(offset)
    if block is None:
        return False
    return block.kind == "heading" or block is next((b for b in doc.blocks if b.kind == "paragraph"), None)


def _names_subject(doc, start: int, end: int) -> bool:
    treatment = find_treatment(doc, {})
    return treatment is not None and treatment.named_in(doc.prose[start:end])


class CausalOverclaim(TextRule):
    @cached_property
    def cues(self) -> dict:
        data = self.data
        return {
            "verbs": {" ".join(k.split()): v for k, v in data["causal-verbs"].items()},
            "causal": Matcher(data["causal-verbs"]),
            "study": Matcher(data["study-words"]),
            "types": [(Matcher(t["cues"]), t["message"]) for t in data["study-types"].values()],
            "hedges": Matcher(data["hedges"]),
            "epistemic": Matcher(data["epistemic-verbs"]),
            "human": Matcher(data["human-targets"]),
            "caveats": Matcher(data["animal-caveats"]),
            "animal": Matcher(data["study-types"]["animal"]["cues"] + data["study-types"]["cell"]["cues"]),
            "rct": Matcher(data["randomized-trial"]),
            "not-rct": Matcher([c for kind in ("animal", "cell", "observational", "single")
                                for c in data["study-types"][kind]["cues"]]),
            "evidence-verbs": Matcher(data["evidence-verbs"]),
            "evidence-suggestions": {" ".join(k.split()): v for k, v in data["evidence-verbs"].items()},
            "exempt": Matcher(data["evidence-exempt"]),
        }

    @cached_property
    def exceptions(self) -> Matcher:
        return Matcher(patterns=self.data["causal-exceptions"])

    def _study_type(self, doc, start: int, end: int) -> str:
        for matcher, message in self.cues["types"]:
            if matcher.search(doc.prose, start, end):
                return message
        return "a study can show what happened in the people it studied, not that one thing causes another"

    def _is_noun(self, prose: str, start: int, end: int, m) -> bool:
        nouns = self.exceptions.finditer(prose, start, end)
        return any(e.start() <= m.start() and m.end() <= e.end() for e in nouns)

    def _qualified(self, doc, start: int, m, options) -> bool:
        """Negated, quoted, hedged or an infinitive ("to prevent"): the sentence makes no causal claim."""
        prose, cues = doc.prose, self.cues
        before = prose[start:m.start()]
        return (self.silenced(doc, m.start(), m.end(), options) or bool(cues["hedges"].search(before))
                or before.rstrip().lower().endswith(" to")
                or any(is_negated(prose, start, e.start())
                       for e in cues["epistemic"].finditer(prose, start, m.start())))

    def check(self, doc, options):
        cues = self.cues
        prose = doc.prose
        randomized = cues["rct"].search(prose) is not None   # the article reports a randomised trial
        for start, end in doc.sentences:
            block = doc.block_at(start)
            if block is None or doc.citations.is_reference(block) or doc.is_question(start, end):
                continue
            finding = None
            reports_study = not options["require-study"] or cues["study"].search(prose, start, end)
            earned = randomized and not cues["not-rct"].search(prose, start, end)
            for m in () if earned or not reports_study else cues["causal"].finditer(prose, start, end):
                if self._is_noun(prose, start, end, m) or RELATIVE_RE.search(prose, max(start, m.start() - 12),
                                                                             m.start()):
                    continue  # "deaths from any cause", "the mechanisms that lead to fibrosis"
                if self._qualified(doc, start, m, options):
                    break  # "does not show that X prevents Y", "may prevent", "aimed to prevent"
                verb = " ".join(m.group(0).lower().split())
                suggestion = cues["verbs"].get(verb)
                why = self._study_type(doc, start, end)
                finding = Finding(m.start(), m.end(), f'"{m.group(0)}" claims cause and effect, but {why}; '
                                  f'use wording such as "{suggestion}" or "was associated with", and say '
                                  "what kind of study it was", suggestion)
                break
            if finding is None and reports_study and options["check-animal-to-human"]:
                finding = self._animal_to_human(doc, start, end, options)
            if finding is None and options["check-against-evidence"]:
                finding = self._against_evidence(doc, start, end, options)
            if finding is not None:
                yield finding

    def _against_evidence(self, doc, start: int, end: int, options: dict):
        """A direct claim of effect in an article whose evidence cannot show cause: observational,
        or in animals or cells when the sentence does not say so."""
        cues, prose = self.cues, doc.prose
        if not _headline(doc, start) or cues["evidence-verbs"].search(prose, start, end) is None:
            return None
        evidence = article_evidence(doc)
        if evidence not in EVIDENCE_WHY:
            return None
        if doc.block_at(start).kind != "heading" and not (cues["study"].search(prose, start, end)
                                                           or _names_subject(doc, start, end)):
            return None   # a lead sentence of background ("insulin resistance leads to high blood sugar")
        if cues["exempt"].search(prose, start, end) or sentence_strength(prose[start:end]) != "direct_causal":
            return None
        if evidence != "observational" and cues["animal"].search(prose, start, end):
            return None   # "in mice, the drug reversed the damage": said of the animals it was shown in
        for m in cues["evidence-verbs"].finditer(prose, start, end):
            if RELATIVE_RE.search(prose, max(start, m.start() - 12), m.start()):
                continue   # "a condition that causes high cholesterol": background, not the finding
            if self._qualified(doc, start, m, options):
                return None
            suggestion = cues["evidence-suggestions"].get(" ".join(m.group(0).lower().split()))
            return Finding(m.start(), m.end(), f'"{m.group(0)}" claims cause and effect, but the article reports '
                           f'{EVIDENCE_WHY[evidence]}; use wording such as "{suggestion}"', suggestion)
        return None

    def _animal_to_human(self, doc, start: int, end: int, options: dict):
        """A study in mice or cells applied to people ("in mice ... so it can help your knees")."""
        cues = self.cues
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
